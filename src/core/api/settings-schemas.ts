/**
 * The Settings page's API: the config file's providers and defaults, with keys never sent to the browser.
 */
import { z } from 'zod';
import { AppConfigSchema, DefaultsSchema } from '../config.ts';

/**
 * A provider entry as the browser sees it: every field but the key, whether a key is set, and `apiKeyBaseUrl`,
 * the address the key (or the named variable) was given for: it goes nowhere else.
 */
export const RedactedProviderSchema = z.looseObject({ type: z.string(), hasApiKey: z.boolean() });

export const SettingsSchema = z.object({
  /** Where the config file lives; it is written with mode 0600 because it may hold keys. */
  path: z.string(),
  config: z.object({
    defaults: DefaultsSchema,
    providers: z.record(z.string(), RedactedProviderSchema),
  }),
  /** Which key variables are set in the server's environment (names only, never values). */
  environmentKeys: z.record(z.string(), z.boolean()),
});
export type SettingsDto = z.infer<typeof SettingsSchema>;

/**
 * The whole new config. A provider entry without `apiKey` keeps the key the file already holds for it; send
 * `apiKey` only to set a new one, and name a provider in `removeApiKeys` to delete its saved key. A saved key
 * stays bound to the base URL it was saved for: a new base URL without a new key is refused (field
 * `providers.<id>.apiKey`). A named `apiKeyEnv` follows a new base URL only for the providers in
 * `rebindApiKeyEnv`. `apiKeyBaseUrl` is written by the server; a value sent for it is ignored.
 */
export const UpdateSettingsBody = AppConfigSchema.extend({
  removeApiKeys: z.array(z.string()).max(200).optional(),
  rebindApiKeyEnv: z.array(z.string()).max(200).optional(),
});
export type UpdateSettings = z.infer<typeof UpdateSettingsBody>;
