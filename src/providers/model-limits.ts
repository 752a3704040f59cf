import type { ModelOverride } from '../core/config.ts';
import type { ModelCapabilities } from '../core/provider.ts';

/** Used when neither config, catalog nor server says how large a model's window is. */
export const ASSUMED_CONTEXT_WINDOW = 8192;

/**
 * The context window an OpenAI-compatible server advertises in its model list entry, under whichever name
 * it uses: vLLM `max_model_len`, OpenRouter `context_length`, llama.cpp `meta.n_ctx_train`, LM Studio
 * `max_context_length`.
 */
export function advertisedContextWindow(entry: Record<string, unknown>): number | undefined {
  const meta = entry.meta as Record<string, unknown> | undefined;
  for (const value of [
    entry.max_model_len,
    entry.context_length,
    entry.context_window,
    entry.max_context_length,
    meta?.n_ctx_train,
  ]) {
    if (typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/** Layers what is known about a model: config beats the provider's catalog beats the server beats a default. */
export function resolveCapabilities(options: {
  model: string;
  override: ModelOverride | undefined;
  catalog: { contextWindow: number; maxOutputTokens: number | null; tools: boolean } | null;
  server: { contextWindow?: number | undefined; tools?: boolean | undefined } | null;
  defaultTools: boolean;
}): ModelCapabilities {
  const { override, catalog, server } = options;
  const contextWindow = override?.contextWindow ?? catalog?.contextWindow ?? server?.contextWindow;
  const source: ModelCapabilities['source'] =
    override?.contextWindow !== undefined
      ? 'config'
      : catalog !== null
        ? 'catalog'
        : server?.contextWindow !== undefined
          ? 'server'
          : 'assumed';
  return {
    model: options.model,
    contextWindow: contextWindow ?? ASSUMED_CONTEXT_WINDOW,
    maxOutputTokens: override?.maxOutputTokens ?? catalog?.maxOutputTokens ?? null,
    tools: override?.tools ?? catalog?.tools ?? server?.tools ?? options.defaultTools,
    source,
  };
}
