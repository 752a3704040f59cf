import type { ProviderChoices } from '../../agent/provider-choice.ts';
import { type SettingsDto, SettingsSchema, UpdateSettingsBody } from '../../core/api/settings-schemas.ts';
import type { AppConfig } from '../../core/config.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { configPath, saveAppConfig } from '../app-config.ts';
import { bindSavedKeys } from '../saved-key-binding.ts';

/** The variables a key may come from; the Settings page shows which are set, never their values. */
const KEY_VARIABLES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'OPENROUTER_API_KEY',
  'VLLM_API_KEY',
  'LLAMA_API_KEY',
];

export interface SettingsRoutesOptions {
  configDir: string;
  choices: ProviderChoices;
  /** Builds the providers of a new config and hands them to `choices`. */
  apply: (config: AppConfig) => void;
  env: Record<string, string | undefined>;
}

export function settingsRoutes(options: SettingsRoutesOptions): ApiRoute[] {
  const view = (): SettingsDto => redact(options.choices.config, configPath(options.configDir), options.env);
  return [
    defineRoute({
      method: 'GET',
      url: '/api/settings',
      access: 'manage-settings',
      summary: 'The config file’s providers and defaults (keys are never sent: only whether one is set)',
      response: SettingsSchema,
      handler: view,
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/settings',
      access: 'manage-settings',
      summary:
        'Replace the config (a provider sent without apiKey keeps its saved key unless named in removeApiKeys, and only at the base URL it was saved for)',
      body: UpdateSettingsBody,
      response: SettingsSchema,
      handler: ({ body }) => {
        const { removeApiKeys = [], rebindApiKeyEnv = [], ...config } = body;
        const next = bindSavedKeys({
          next: config,
          current: options.choices.config,
          remove: new Set(removeApiKeys),
          rebind: new Set(rebindApiKeyEnv),
          env: options.env,
        });
        saveAppConfig(options.configDir, next);
        options.apply(next);
        return view();
      },
    }),
  ];
}

function redact(config: AppConfig, path: string, env: Record<string, string | undefined>): SettingsDto {
  const providers: SettingsDto['config']['providers'] = {};
  for (const [id, entry] of Object.entries(config.providers)) {
    const { apiKey, ...rest } = entry as { apiKey?: string } & Record<string, unknown> & { type: string };
    providers[id] = { ...rest, type: entry.type, hasApiKey: apiKey !== undefined };
  }
  const environmentKeys = Object.fromEntries(
    KEY_VARIABLES.map((name) => [name, (env[name] ?? '').trim() !== '']),
  );
  return { path, config: { defaults: config.defaults, providers }, environmentKeys };
}
