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

/** A key may be written in the file, or named by the environment variable that holds it. */
const keyFields = {
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z.string().min(1).optional(),
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
