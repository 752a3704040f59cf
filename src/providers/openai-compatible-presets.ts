import type { ModelOverride, OpenAICompatiblePreset } from '../core/config.ts';
import { OpenAICompatibleProvider } from './openai-compatible.ts';
import type { Fetch } from './recording-fetch.ts';
import type { RetryPolicy } from './retry-policy.ts';

interface Preset {
  /** Where the server listens by default; Ollama's comes from OLLAMA_HOST. */
  baseUrl: string;
  keyVariable: string | null;
  requireKey: boolean;
}

/** Defaults of the servers people run most, so a preset and a model name are all they need to give. */
export const PRESETS: Record<OpenAICompatiblePreset, Preset> = {
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', keyVariable: null, requireKey: false },
  'llama.cpp': { baseUrl: 'http://127.0.0.1:8080/v1', keyVariable: 'LLAMA_API_KEY', requireKey: false },
  vllm: { baseUrl: 'http://127.0.0.1:8000/v1', keyVariable: 'VLLM_API_KEY', requireKey: false },
  'lm-studio': { baseUrl: 'http://127.0.0.1:1234/v1', keyVariable: null, requireKey: false },
  openrouter: {
    baseUrl: 'https://openrouter.ai/api/v1',
    keyVariable: 'OPENROUTER_API_KEY',
    requireKey: true,
  },
};

export interface CompatibleProviderOptions {
  id: string;
  preset?: OpenAICompatiblePreset | undefined;
  baseUrl?: string | undefined;
  apiKey: string | null;
  /** Overrides the preset's variable name (config `apiKeyEnv`). */
  keyVariable?: string | undefined;
  /** Why a key exists but may not go to this base URL (see api-key-binding.ts). */
  keyRefusal?: string | null;
  /** For Ollama's preset: the normalised OLLAMA_HOST. */
  ollamaHost?: string | undefined;
  models?: Record<string, ModelOverride> | undefined;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

/**
 * A provider for any OpenAI-compatible server, from a preset and/or a base URL. These servers ignore
 * OpenAI's `name` field (or reject it), so authors go into a text prefix.
 *
 * @example createOpenAICompatibleProvider({ id: 'vllm', preset: 'vllm', apiKey: null })
 */
export function createOpenAICompatibleProvider(options: CompatibleProviderOptions): OpenAICompatibleProvider {
  const preset = options.preset === undefined ? undefined : PRESETS[options.preset];
  const presetUrl =
    options.preset === 'ollama' && options.ollamaHost !== undefined
      ? `${options.ollamaHost}/v1`
      : preset?.baseUrl;
  const baseUrl = options.baseUrl ?? presetUrl;
  if (baseUrl === undefined) {
    throw new TypeError(`provider ${options.id} needs a baseUrl or a preset`);
  }
  return new OpenAICompatibleProvider({
    id: options.id,
    baseUrl,
    apiKey: options.apiKey,
    keyVariable: options.keyVariable ?? preset?.keyVariable ?? null,
    keyRefusal: options.keyRefusal ?? null,
    requireKey: preset?.requireKey ?? false,
    names: false,
    maxTokensField: 'max_tokens',
    models: options.models,
    defaultTools: true,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
