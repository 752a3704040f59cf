import type Anthropic from '@anthropic-ai/sdk';
import type { ModelOverride } from '../core/config.ts';
import { anthropicRequest } from '../core/context/anthropic-request.ts';
import { computeOutputBudget } from '../core/context/output-budget.ts';
import type {
  ModelCapabilities,
  ModelListResult,
  ModelProvider,
  ProviderDialect,
  RequestPreview,
  TokenCount,
  TurnEvent,
  TurnInput,
} from '../core/provider.ts';
import { AnthropicAssembler } from './anthropic-assembler.ts';
import { ANTHROPIC_FALLBACK_MAX_TOKENS, anthropicModelSpec } from './anthropic-catalog.ts';
import { classifyError } from './classify-error.ts';
import { ContextOverflowError } from './errors/context-overflow-error.ts';
import { MissingApiKeyError } from './errors/missing-api-key-error.ts';
import type { ProviderError } from './errors/provider-error.ts';
import { UnboundApiKeyError } from './errors/unbound-api-key-error.ts';
import { UnknownModelError } from './errors/unknown-model-error.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { failedTurn } from './failed-turn.ts';
import { resolveCapabilities } from './model-limits.ts';
import { type Fetch, recordingFetch } from './recording-fetch.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { runTurn } from './run-turn.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicProviderOptions {
  id?: string;
  baseUrl?: string | undefined;
  apiKey: string | null;
  keyVariable?: string;
  /** Why a key exists but may not go to this base URL (see api-key-binding.ts); the turn fails with it. */
  keyRefusal?: string | null;
  models?: Record<string, ModelOverride> | undefined;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

/**
 * Anthropic's Messages API through the official `@anthropic-ai/sdk` (it parses the event stream), with a
 * recording fetch underneath. Alternation, the `system` parameter and tool results are shaped by
 * `anthropicRequest` in core, so the preview is the body sent.
 *
 * @example new AnthropicProvider({ apiKey: env.ANTHROPIC_API_KEY ?? null })
 */
export class AnthropicProvider implements ModelProvider {
  readonly id: string;
  readonly baseUrl: string;
  readonly dialect: ProviderDialect = { authorNames: 'prefix', toolMessages: true };
  readonly #options: AnthropicProviderOptions;
  readonly #keyVariable: string;

  constructor(options: AnthropicProviderOptions) {
    this.id = options.id ?? 'anthropic';
    this.baseUrl = (options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#keyVariable = options.keyVariable ?? 'ANTHROPIC_API_KEY';
    this.#options = options;
  }

  async #client(apiKey: string, fetch: Fetch): Promise<Anthropic> {
    const sdk = await import('@anthropic-ai/sdk');
    // Key and URL are always explicit, so the SDK never falls back to the environment or profile files.
    return new sdk.default({
      apiKey,
      authToken: null,
      baseURL: this.baseUrl,
      maxRetries: 0,
      timeout: 10 * 60 * 1000,
      fetch,
    });
  }

  #missingKey(): ProviderError | null {
    const refusal = this.#options.keyRefusal ?? null;
    if (refusal !== null) return new UnboundApiKeyError({ provider: this.id, reason: refusal });
    return this.#options.apiKey === null
      ? new MissingApiKeyError({ provider: this.id, variable: this.#keyVariable })
      : null;
  }

  capabilities(model: string): Promise<ModelCapabilities> {
    return Promise.resolve(
      resolveCapabilities({
        model,
        override: this.#options.models?.[model],
        catalog: anthropicModelSpec(model),
        server: null,
        defaultTools: true,
      }),
    );
  }

  /** Anthropic's tokenizer is not public (its count endpoint costs a request), so this is an o200k estimate. */
  countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount> {
    return Promise.resolve(estimateTokens(input.messages, input.tools));
  }

  async preview(input: Omit<TurnInput, 'signal'>): Promise<RequestPreview> {
    const capabilities = await this.capabilities(input.model);
    const tokens = await this.countTokens(input);
    const budget = computeOutputBudget({
      model: input.model,
      input: tokens,
      contextWindow: capabilities.contextWindow,
      requestedMaxOutputTokens: input.maxOutputTokens,
      modelMaxOutputTokens: capabilities.maxOutputTokens ?? ANTHROPIC_FALLBACK_MAX_TOKENS,
      requireMaxOutputTokens: true,
    });
    const maxTokens = budget.fits
      ? (budget.maxOutputTokens ?? ANTHROPIC_FALLBACK_MAX_TOKENS)
      : ANTHROPIC_FALLBACK_MAX_TOKENS;
    const { body } = anthropicRequest({
      model: input.model,
      messages: input.messages,
      tools: input.tools,
      temperature: input.temperature,
      maxTokens,
    });
    return { request: body, tokens, capabilities, budget };
  }

  async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    const apiKey = this.#options.apiKey;
    const common = { provider: this.id, model: input.model, baseUrl: this.baseUrl };
    const missing = this.#missingKey();
    if (apiKey === null || missing !== null) {
      yield* failedTurn({ ...common, request: null, error: missing as ProviderError });
      return;
    }
    const preview = await this.preview(input);
    if (!preview.budget.fits) {
      const error = new ContextOverflowError({ provider: this.id, message: preview.budget.message });
      yield* failedTurn({ ...common, request: preview.request, error });
      return;
    }
    const base = this.#options.fetch ?? globalThis.fetch;
    yield* runTurn({
      ...common,
      request: preview.request,
      signal: input.signal,
      retry: this.#options.retry ?? DEFAULT_RETRY_POLICY,
      keyVariable: this.#keyVariable,
      createAssembler: () => new AnthropicAssembler(this.id),
      open: async (exchange, signal) => {
        const client = await this.#client(
          apiKey,
          recordingFetch(() => exchange, base),
        );
        const body = preview.request as unknown as Anthropic.MessageCreateParamsStreaming;
        return (await client.messages.create(body, { signal })) as AsyncIterable<unknown>;
      },
      explain: (error) => this.#explain(error, input.model),
    });
  }

  async listModels(): Promise<ModelListResult> {
    const apiKey = this.#options.apiKey;
    const missing = this.#missingKey();
    if (apiKey === null || missing !== null)
      return { ok: false, failure: (missing as ProviderError).toFailure() };
    try {
      const client = await this.#client(apiKey, this.#options.fetch ?? globalThis.fetch);
      const models: { id: string }[] = [];
      for await (const model of client.models.list()) models.push({ id: model.id });
      return { ok: true, models };
    } catch (error) {
      const failure = classifyError(error, {
        provider: this.id,
        baseUrl: this.baseUrl,
        keyVariable: this.#keyVariable,
        midStream: false,
      });
      return { ok: false, failure: failure.toFailure() };
    }
  }

  async #explain(error: ProviderError, model: string): Promise<ProviderError> {
    // Anthropic answers an unknown model with 404 not_found_error "model: <id>".
    if (error.status !== 404 || !/model/i.test(error.message)) return error;
    const list = await this.listModels();
    return new UnknownModelError({
      provider: this.id,
      model,
      offered: list.ok ? list.models.map((entry) => entry.id) : null,
      status: 404,
      cause: error,
    });
  }
}
