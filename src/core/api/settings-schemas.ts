/**
 * The Settings page's API: the config file's providers and defaults, with keys never sent to the browser.
 */
import { z } from 'zod';
import { AppConfigSchema, DefaultsSchema } from '../config.ts';

/** A provider entry as the browser sees it: every field but the key, and whether a key is set. */
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
 * `apiKey` only to set a new one, and name a provider in `removeApiKeys` to delete its saved key.
 */
export const UpdateSettingsBody = AppConfigSchema.extend({
  removeApiKeys: z.array(z.string()).max(200).optional(),
});
export type UpdateSettings = z.infer<typeof UpdateSettingsBody>;
