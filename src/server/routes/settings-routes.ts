import type { ProviderChoices } from '../../agent/provider-choice.ts';
import { type SettingsDto, SettingsSchema, UpdateSettingsBody } from '../../core/api/settings-schemas.ts';
import type { AppConfig } from '../../core/config.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { configPath, saveAppConfig } from '../app-config.ts';

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
      summary: 'The config file’s providers and defaults (keys are never sent: only whether one is set)',
      response: SettingsSchema,
      handler: view,
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/settings',
      summary:
        'Replace the config (a provider sent without apiKey keeps its saved key unless named in removeApiKeys)',
      body: UpdateSettingsBody,
      response: SettingsSchema,
      handler: ({ body }) => {
        const { removeApiKeys = [], ...config } = body;
        const next = keepKeys(config, options.choices.config, new Set(removeApiKeys));
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

function keepKeys(next: AppConfig, current: AppConfig, remove: ReadonlySet<string>): AppConfig {
  const providers: AppConfig['providers'] = {};
  for (const [id, entry] of Object.entries(next.providers)) {
    const previous = current.providers[id] as { apiKey?: string; type: string } | undefined;
    const sent = entry as { apiKey?: string };
    providers[id] =
      sent.apiKey === undefined &&
      !remove.has(id) &&
      previous?.apiKey !== undefined &&
      previous.type === entry.type
        ? ({ ...entry, apiKey: previous.apiKey } as typeof entry)
        : entry;
  }
  return { ...next, providers };
}
