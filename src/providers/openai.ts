import type { ModelOverride } from '../core/config.ts';
import { countOpenAIChatTokens, openAIModelSpec } from './openai-catalog.ts';
import { OpenAICompatibleProvider } from './openai-compatible.ts';
import type { Fetch } from './recording-fetch.ts';
import type { RetryPolicy } from './retry-policy.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIProviderOptions {
  id?: string;
  apiKey: string | null;
  /** `OPENAI_BASE_URL`, or the config file's. */
  baseUrl?: string | undefined;
  keyVariable?: string;
  keyRefusal?: string | null;
  models?: Record<string, ModelOverride> | undefined;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

/**
 * OpenAI's Chat Completions: `name` on messages, `max_completion_tokens`, published model limits, and
 * exact token counts with the model's own chat format.
 *
 * @example createOpenAIProvider({ apiKey: keys.openai })
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): OpenAICompatibleProvider {
  return new OpenAICompatibleProvider({
    id: options.id ?? 'openai',
    baseUrl: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    apiKey: options.apiKey,
    keyVariable: options.keyVariable ?? 'OPENAI_API_KEY',
    keyRefusal: options.keyRefusal ?? null,
    requireKey: true,
    names: true,
    maxTokensField: 'max_completion_tokens',
    catalog: openAIModelSpec,
    countTokens: (input) => countOpenAIChatTokens(input.model, input.messages, input.tools),
    models: options.models,
    defaultTools: true,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
