import type OpenAI from 'openai';
import type { ModelOverride } from '../core/config.ts';
import { openAIChatRequest } from '../core/context/openai-chat-request.ts';
import { computeOutputBudget } from '../core/context/output-budget.ts';
import type {
  ModelCapabilities,
  ModelInfo,
  ModelListResult,
  ModelProvider,
  ProviderDialect,
  RequestPreview,
  TokenCount,
  TurnEvent,
  TurnInput,
} from '../core/provider.ts';
import { classifyError } from './classify-error.ts';
import { ContextOverflowError } from './errors/context-overflow-error.ts';
import { MissingApiKeyError } from './errors/missing-api-key-error.ts';
import type { ProviderError } from './errors/provider-error.ts';
import { UnboundApiKeyError } from './errors/unbound-api-key-error.ts';
import { UnknownModelError } from './errors/unknown-model-error.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { failedTurn } from './failed-turn.ts';
import { advertisedContextWindow, resolveCapabilities } from './model-limits.ts';
import { OpenAIChatAssembler } from './openai-chat-assembler.ts';
import { type Fetch, recordingFetch } from './recording-fetch.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { runTurn } from './run-turn.ts';

export interface OpenAICompatibleOptions {
  /** Provider id as the person chose it (`openai`, `ollama-openai`, `my-vllm`, …). */
  id: string;
  baseUrl: string;
  apiKey: string | null;
  /** The variable the key comes from, named in messages about a missing or refused key. */
  keyVariable: string | null;
  /** Why a key exists but may not go to this base URL (see api-key-binding.ts); the turn fails with it. */
  keyRefusal?: string | null;
  /** Whether a missing key is an error before any request (hosted APIs) or fine (local servers). */
  requireKey: boolean;
  /** Whether the server honours OpenAI's `name` field on messages. */
  names: boolean;
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Known models' limits (OpenAI's catalog); null for servers whose models we cannot know. */
  catalog?: (
    model: string,
  ) => { contextWindow: number; maxOutputTokens: number | null; tools: boolean } | null;
  /** Exact counting for OpenAI's own models; an o200k estimate elsewhere. */
  countTokens?: (input: Omit<TurnInput, 'signal'>) => Promise<TokenCount>;
  models?: Record<string, ModelOverride> | undefined;
  defaultTools?: boolean;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

/**
 * Any server that speaks OpenAI's Chat Completions: OpenAI itself, Ollama's `/v1`, llama.cpp's server,
 * vLLM, LM Studio, OpenRouter. Streams through the official `openai` SDK (it parses the SSE) with a
 * recording fetch underneath.
 *
 * @example
 * const provider = new OpenAICompatibleProvider({ id: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: null, … });
 * for await (const event of provider.streamTurn({ model: 'qwen', messages })) …
 */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly id: string;
  readonly baseUrl: string;
  readonly dialect: ProviderDialect;
  readonly #options: OpenAICompatibleOptions;
  #serverModels: Promise<ModelListResult> | null = null;

  constructor(options: OpenAICompatibleOptions) {
    this.id = options.id;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.dialect = { authorNames: options.names ? 'name-field' : 'prefix', toolMessages: true };
    this.#options = options;
  }

  async #client(fetch: Fetch): Promise<OpenAI> {
    const sdk = await import('openai');
    return new sdk.default({
      // Local servers need no key, but the SDK insists on one; they ignore the header.
      apiKey: this.#options.apiKey ?? 'not-needed',
      baseURL: this.baseUrl,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: 10 * 60 * 1000,
      fetch,
    });
  }

  #missingKey(): ProviderError | null {
    const refusal = this.#options.keyRefusal ?? null;
    if (refusal !== null) return new UnboundApiKeyError({ provider: this.id, reason: refusal });
    if (!this.#options.requireKey || this.#options.apiKey !== null) return null;
    return new MissingApiKeyError({ provider: this.id, variable: this.#options.keyVariable ?? 'an API key' });
  }

  async capabilities(model: string): Promise<ModelCapabilities> {
    const catalog = this.#options.catalog?.(model) ?? null;
    const override = this.#options.models?.[model];
    let server: { contextWindow?: number } | null = null;
    if (catalog === null && override?.contextWindow === undefined) {
      const list = await this.#cachedModels();
      const entry = list.ok ? list.models.find((candidate) => candidate.id === model) : undefined;
      if (entry?.contextWindow !== undefined) server = { contextWindow: entry.contextWindow };
    }
    return resolveCapabilities({
      model,
      override,
      catalog,
      server,
      defaultTools: this.#options.defaultTools ?? true,
    });
  }

  countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount> {
    if (this.#options.countTokens !== undefined) return this.#options.countTokens(input);
    return Promise.resolve(estimateTokens(input.messages, input.tools));
  }

  async preview(input: Omit<TurnInput, 'signal'>): Promise<RequestPreview> {
    const capabilities = await this.capabilities(input.model);
    const tools = capabilities.tools ? input.tools : undefined;
    const tokens = await this.countTokens({ ...input, tools });
    const budget = computeOutputBudget({
      model: input.model,
      input: tokens,
      contextWindow: capabilities.contextWindow,
      requestedMaxOutputTokens: input.maxOutputTokens,
      modelMaxOutputTokens: capabilities.maxOutputTokens,
    });
    const request = openAIChatRequest({
      model: input.model,
      messages: input.messages,
      tools,
      temperature: input.temperature,
      maxOutputTokens: budget.fits ? budget.maxOutputTokens : input.maxOutputTokens,
      maxTokensField: this.#options.maxTokensField,
      names: this.#options.names,
    });
    return { request, tokens, capabilities, budget };
  }

  async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    const missing = this.#missingKey();
    if (missing !== null) {
      yield* failedTurn({
        provider: this.id,
        model: input.model,
        baseUrl: this.baseUrl,
        request: null,
        error: missing,
      });
      return;
    }
    const preview = await this.preview(input);
    if (!preview.budget.fits) {
      const error = new ContextOverflowError({ provider: this.id, message: preview.budget.message });
      yield* failedTurn({
        provider: this.id,
        model: input.model,
        baseUrl: this.baseUrl,
        request: preview.request,
        error,
      });
      return;
    }
    const base = this.#options.fetch ?? globalThis.fetch;
    yield* runTurn({
      provider: this.id,
      model: input.model,
      baseUrl: this.baseUrl,
      request: preview.request,
      signal: input.signal,
      retry: this.#options.retry ?? DEFAULT_RETRY_POLICY,
      keyVariable: this.#options.keyVariable,
      createAssembler: () => new OpenAIChatAssembler(this.id),
      open: async (exchange, signal) => {
        const client = await this.#client(recordingFetch(() => exchange, base));
        const body = preview.request as unknown as OpenAI.ChatCompletionCreateParamsStreaming;
        return (await client.chat.completions.create(body, { signal })) as AsyncIterable<unknown>;
      },
      explain: (error) => this.#explain(error, input.model),
    });
  }

  async listModels(): Promise<ModelListResult> {
    const missing = this.#missingKey();
    if (missing !== null) return { ok: false, failure: missing.toFailure() };
    try {
      const client = await this.#client(this.#options.fetch ?? globalThis.fetch);
      const models: ModelInfo[] = [];
      for await (const entry of client.models.list()) {
        const info: ModelInfo = { id: entry.id };
        const window = advertisedContextWindow(entry as unknown as Record<string, unknown>);
        if (window !== undefined) info.contextWindow = window;
        models.push(info);
      }
      models.sort((left, right) => left.id.localeCompare(right.id));
      return { ok: true, models };
    } catch (error) {
      const failure = classifyError(error, {
        provider: this.id,
        baseUrl: this.baseUrl,
        keyVariable: this.#options.keyVariable,
        midStream: false,
      });
      return { ok: false, failure: failure.toFailure() };
    }
  }

  #cachedModels(): Promise<ModelListResult> {
    this.#serverModels ??= this.listModels().then((result) => {
      if (!result.ok) this.#serverModels = null;
      return result;
    });
    return this.#serverModels;
  }

  async #explain(error: ProviderError, model: string): Promise<ProviderError> {
    if (!looksLikeUnknownModel(error)) return error;
    const list = await this.listModels();
    return new UnknownModelError({
      provider: this.id,
      model,
      offered: list.ok ? list.models.map((entry) => entry.id) : null,
      status: error.status,
      cause: error,
    });
  }
}

/** OpenAI `model_not_found`, Ollama "model 'x' not found", vLLM "The model `x` does not exist". */
export function looksLikeUnknownModel(error: ProviderError): boolean {
  if (error.status !== 404 && error.status !== 400) return false;
  return (
    /model/i.test(error.message) &&
    /not[ _]found|does not exist|unknown model|no such model/i.test(error.message)
  );
}
