import type { AppConfig, ProviderEntry } from '../core/config.ts';
import type { ModelProvider } from '../core/provider.ts';
import { AnthropicProvider } from './anthropic.ts';
import { resolveApiKey } from './api-key-binding.ts';
import { HumanProvider } from './human.ts';
import { LlamaCppProvider } from './llama-cpp.ts';
import { OllamaProvider } from './ollama.ts';
import { ollamaBaseUrl } from './ollama-host.ts';
import { createOpenAIProvider } from './openai.ts';
import { createOpenAICompatibleProvider } from './openai-compatible-presets.ts';
import type { ProviderEnvironment } from './provider-environment.ts';
import type { Fetch } from './recording-fetch.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** Map keys of providers made on demand for a conversation's own base URL. */
const AD_HOC_PREFIX = 'openai-compatible ';

export interface ProviderRegistryOptions {
  config: AppConfig;
  environment: ProviderEnvironment;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

export interface ProviderSummary {
  id: string;
  type: ProviderEntry['type'];
  baseUrl: string | null;
  /** Whether a key it needs is present (never the key itself: keys do not leave the server). */
  hasKey: boolean;
}

/**
 * Builds providers from the config file plus the environment, once, at the edge; hands out a provider per
 * conversation setting (`openai-compatible` with a base URL is made on demand).
 *
 * @example
 * const registry = new ProviderRegistry({ config, environment: loadProviderEnvironment({ env: process.env, homeDir }) });
 * registry.get({ provider: 'ollama' })
 */
export class ProviderRegistry {
  readonly #options: ProviderRegistryOptions;
  readonly #providers = new Map<string, { provider: ModelProvider; summary: ProviderSummary }>();

  constructor(options: ProviderRegistryOptions) {
    this.#options = options;
    const builtIn: Record<string, ProviderEntry> = {
      openai: { type: 'openai' },
      anthropic: { type: 'anthropic' },
      ollama: { type: 'ollama' },
      'llama-cpp': { type: 'llama-cpp' },
      human: { type: 'human' },
    };
    for (const [id, entry] of Object.entries({ ...builtIn, ...options.config.providers })) {
      this.#providers.set(id, this.#build(id, entry));
    }
  }

  /** The configured providers; servers reached through a conversation's own base URL are not listed. */
  list(): ProviderSummary[] {
    return [...this.#providers.entries()]
      .filter(([key]) => !key.startsWith(AD_HOC_PREFIX))
      .map(([, entry]) => entry.summary);
  }

  /** The provider a conversation's settings name; unknown ids and a missing base URL are a clear error. */
  get(settings: { provider?: string | undefined; baseUrl?: string | undefined }): ModelProvider {
    const id = settings.provider ?? 'human';
    if (id === 'openai-compatible' && !this.#providers.has(id)) {
      if (settings.baseUrl === undefined) {
        throw new TypeError(
          'provider openai-compatible needs a baseUrl (the server’s address, e.g. http://127.0.0.1:8000/v1)',
        );
      }
      const key = `${AD_HOC_PREFIX}${settings.baseUrl}`;
      let built = this.#providers.get(key);
      if (built === undefined) {
        built = this.#build('openai-compatible', { type: 'openai-compatible', baseUrl: settings.baseUrl });
        this.#providers.set(key, built);
      }
      return built.provider;
    }
    const found = this.#providers.get(id);
    if (found === undefined) {
      const known = this.list()
        .map((summary) => summary.id)
        .join(', ');
      throw new TypeError(`no provider "${id}"; configured providers: ${known}`);
    }
    return found.provider;
  }

  #build(id: string, entry: ProviderEntry): { provider: ModelProvider; summary: ProviderSummary } {
    const { env, legacyOpenAIKey } = this.#options.environment;
    const shared = {
      ...(this.#options.retry === undefined ? {} : { retry: this.#options.retry }),
      ...(this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch }),
    };
    switch (entry.type) {
      case 'openai': {
        // Each key goes only to the base URL it was given for (api-key-binding.ts).
        const key = resolveApiKey({ id, entry, env, legacyOpenAIKey });
        const provider = createOpenAIProvider({
          id,
          apiKey: key.apiKey,
          keyVariable: key.keyVariable ?? 'OPENAI_API_KEY',
          keyRefusal: key.refusal,
          baseUrl: entry.baseUrl ?? nonEmpty(env.OPENAI_BASE_URL),
          models: entry.models,
          ...shared,
        });
        return {
          provider,
          summary: { id, type: entry.type, baseUrl: provider.baseUrl, hasKey: key.apiKey !== null },
        };
      }
      case 'anthropic': {
        const key = resolveApiKey({ id, entry, env, legacyOpenAIKey });
        const provider = new AnthropicProvider({
          id,
          apiKey: key.apiKey,
          keyVariable: key.keyVariable ?? 'ANTHROPIC_API_KEY',
          keyRefusal: key.refusal,
          baseUrl: entry.baseUrl ?? nonEmpty(env.ANTHROPIC_BASE_URL),
          models: entry.models,
          ...shared,
        });
        return {
          provider,
          summary: { id, type: entry.type, baseUrl: provider.baseUrl, hasKey: key.apiKey !== null },
        };
      }
      case 'ollama': {
        const provider = new OllamaProvider({
          id,
          host: ollamaBaseUrl(entry.host ?? env.OLLAMA_HOST),
          models: entry.models,
          ...shared,
        });
        return { provider, summary: { id, type: entry.type, baseUrl: provider.baseUrl, hasKey: false } };
      }
      case 'openai-compatible': {
        const key = resolveApiKey({ id, entry, env, legacyOpenAIKey });
        const provider = createOpenAICompatibleProvider({
          id,
          preset: entry.preset,
          baseUrl: entry.baseUrl,
          apiKey: key.apiKey,
          keyVariable: key.keyVariable ?? undefined,
          keyRefusal: key.refusal,
          ollamaHost: ollamaBaseUrl(env.OLLAMA_HOST),
          models: entry.models,
          ...shared,
        });
        return {
          provider,
          summary: { id, type: entry.type, baseUrl: provider.baseUrl, hasKey: key.apiKey !== null },
        };
      }
      case 'llama-cpp': {
        const provider = new LlamaCppProvider({
          id,
          ...(entry.gpu === undefined ? {} : { gpu: entry.gpu }),
          ...(entry.contextSize === undefined ? {} : { contextSize: entry.contextSize }),
          ...(entry.threads === undefined ? {} : { threads: entry.threads }),
          models: entry.models,
        });
        return { provider, summary: { id, type: entry.type, baseUrl: null, hasKey: false } };
      }
      case 'human':
        return {
          provider: new HumanProvider(),
          summary: { id, type: entry.type, baseUrl: null, hasKey: false },
        };
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
