/**
 * The config file (`$XDG_CONFIG_HOME/modelprogrammer/config.json`): providers and defaults. One zod schema;
 * the file is read at the edge (cli/server) and the parsed value passed down (STYLE.md habit 7).
 */
import { z } from 'zod';

export const PROVIDER_TYPES = [
  'openai',
  'anthropic',
  'ollama',
  'openai-compatible',
  'llama-cpp',
  'human',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const OPENAI_COMPATIBLE_PRESETS = ['ollama', 'llama.cpp', 'vllm', 'lm-studio', 'openrouter'] as const;
export type OpenAICompatiblePreset = (typeof OPENAI_COMPATIBLE_PRESETS)[number];

/** What the person knows about a model that its server does not say. */
export const ModelOverrideSchema = z.strictObject({
  contextWindow: z.int().positive().optional(),
  maxOutputTokens: z.int().positive().optional(),
  tools: z.boolean().optional(),
});
export type ModelOverride = z.infer<typeof ModelOverrideSchema>;

const common = {
  /** Model used when a conversation names none. */
  defaultModel: z.string().min(1).optional(),
  models: z.record(z.string(), ModelOverrideSchema).optional(),
};

/** Names that end like a key but hold another service's credential, or ours (`MP_TOKEN`). */
const FOREIGN_CREDENTIAL_PREFIXES = [
  'AWS_',
  'AZURE_CLIENT_',
  'GITHUB_',
  'GH_',
  'GITLAB_',
  'CI_',
  'NPM_',
  'NODE_AUTH_',
  'YARN_',
  'PYPI_',
  'TWINE_',
  'CARGO_',
  'DOCKER_',
  'VAULT_',
  'SLACK_',
  'STRIPE_',
  'HEROKU_',
  'CLOUDFLARE_',
  'GOOGLE_APPLICATION_',
  'MP_',
];
const FOREIGN_CREDENTIAL_WORDS =
  /(^|_)(SECRET|PASSWORD|PASSWD|PRIVATE|SESSION|SIGNING|ENCRYPTION|SSH|GPG|DATABASE)(_|$)/;

/**
 * Whether `apiKeyEnv` may name this variable: one meant for an API key (`…_API_KEY`, `…_KEY`, `…_TOKEN`), and not
 * a known credential of something else. A name cannot prove what a variable is for; what keeps any variable
 * from going elsewhere is that its key goes only to the base URL it was named for (`apiKeyBaseUrl`).
 *
 * @example isKeyVariableName('MISTRAL_API_KEY') // true
 * @example isKeyVariableName('GITHUB_TOKEN') // false
 */
export function isKeyVariableName(name: string): boolean {
  if (!/^[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)$/.test(name)) return false;
  if (FOREIGN_CREDENTIAL_WORDS.test(name)) return false;
  return !FOREIGN_CREDENTIAL_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * A key may be written in the file, or named by the environment variable that holds it. Either is bound to the
 * base URL it was given for (`apiKeyBaseUrl`, written by the Settings page; a hand-written entry without it is
 * bound to its own base URL): a key never follows a base URL that changed after it was saved.
 */
const keyFields = {
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z
    .string()
    .refine(isKeyVariableName, {
      message:
        'name a variable meant for an API key (ending in _API_KEY, _KEY or _TOKEN, such as MISTRAL_API_KEY), not another credential of the machine',
    })
    .optional(),
  apiKeyBaseUrl: z.url().optional(),
  baseUrl: z.url().optional(),
};

export const ProviderEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('openai'), ...common, ...keyFields }),
  z.strictObject({ type: z.literal('anthropic'), ...common, ...keyFields }),
  z.strictObject({ type: z.literal('ollama'), ...common, host: z.url().optional() }),
  z.strictObject({
    type: z.literal('openai-compatible'),
    ...common,
    ...keyFields,
    preset: z.enum(OPENAI_COMPATIBLE_PRESETS).optional(),
  }),
  z.strictObject({
    type: z.literal('llama-cpp'),
    ...common,
    /** `false` keeps inference on the CPU; `auto` lets node-llama-cpp pick CUDA, Vulkan or Metal if present. */
    gpu: z.union([z.literal(false), z.enum(['auto', 'cuda', 'vulkan', 'metal'])]).optional(),
    contextSize: z.int().positive().optional(),
    threads: z.int().positive().optional(),
  }),
  z.strictObject({ type: z.literal('human') }),
]);
export type ProviderEntry = z.infer<typeof ProviderEntrySchema>;

export const DefaultsSchema = z.strictObject({
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.int().positive().optional(),
});

export const AppConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  defaults: DefaultsSchema.default({}),
  /** Keyed by provider id; the built-in ids (`openai`, `anthropic`, `ollama`, `llama-cpp`, `human`) may be tuned here. */
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), ProviderEntrySchema).default({}),
});
export type AppConfig = z.infer<typeof AppConfigSchema>;

export const EMPTY_CONFIG: AppConfig = { defaults: {}, providers: {} };

export type ConfigParseResult = { ok: true; config: AppConfig } | { ok: false; message: string };

/**
 * Parses the config file's text. A missing file is the caller's `EMPTY_CONFIG`; a broken one is a message
 * that names the file and the field, never a crash.
 *
 * @example parseConfig('{"defaults":{"provider":"ollama","model":"qwen3:8b"}}', '~/.config/modelprogrammer/config.json')
 */
export function parseConfig(text: string, path: string): ConfigParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = AppConfigSchema.safeParse(json);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
  );
  return { ok: false, message: `${path} has problems: ${problems.join('; ')}` };
}
