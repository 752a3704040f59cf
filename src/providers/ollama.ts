import { Ollama } from 'ollama';
import type { ModelOverride } from '../core/config.ts';
import { ollamaChatRequest } from '../core/context/ollama-chat-request.ts';
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
import { classifyError } from './classify-error.ts';
import { ContextOverflowError } from './errors/context-overflow-error.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import type { ProviderError } from './errors/provider-error.ts';
import { UnknownModelError } from './errors/unknown-model-error.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { failedTurn } from './failed-turn.ts';
import { ASSUMED_CONTEXT_WINDOW, resolveCapabilities } from './model-limits.ts';
import { OllamaAssembler } from './ollama-assembler.ts';
import { type Fetch, recordingFetch } from './recording-fetch.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { runTurn } from './run-turn.ts';

export interface OllamaProviderOptions {
  id?: string;
  /** Already normalised (see `ollamaBaseUrl`). */
  host: string;
  models?: Record<string, ModelOverride> | undefined;
  retry?: RetryPolicy;
  fetch?: Fetch;
}

/**
 * Ollama through its native `/api/chat` with the official `ollama` client: unlike its `/v1` endpoint this
 * carries `thinking`, whole tool calls, `num_ctx` and exact token counts per call.
 *
 * @example new OllamaProvider({ host: ollamaBaseUrl(env.OLLAMA_HOST) })
 */
export class OllamaProvider implements ModelProvider {
  readonly id: string;
  readonly baseUrl: string;
  readonly dialect: ProviderDialect = { authorNames: 'prefix', toolMessages: true };
  readonly #options: OllamaProviderOptions;
  readonly #shown = new Map<string, Promise<{ contextWindow?: number; tools?: boolean } | null>>();

  constructor(options: OllamaProviderOptions) {
    this.id = options.id ?? 'ollama';
    this.baseUrl = options.host.replace(/\/+$/, '');
    this.#options = options;
  }

  #client(fetch: Fetch): Ollama {
    return new Ollama({ host: this.baseUrl, fetch });
  }

  async capabilities(model: string): Promise<ModelCapabilities> {
    const override = this.#options.models?.[model];
    let server: { contextWindow?: number; tools?: boolean } | null = null;
    if (override?.contextWindow === undefined || override.tools === undefined) {
      server = await this.#show(model);
    }
    // Every token of num_ctx costs memory on the person's machine; larger windows are a config choice.
    const trained = server?.contextWindow;
    const window = trained === undefined ? ASSUMED_CONTEXT_WINDOW : Math.min(trained, ASSUMED_CONTEXT_WINDOW);
    return resolveCapabilities({
      model,
      override,
      catalog: null,
      server: { contextWindow: window, tools: server?.tools },
      defaultTools: false,
    });
  }

  #show(model: string): Promise<{ contextWindow?: number; tools?: boolean } | null> {
    let shown = this.#shown.get(model);
    if (shown === undefined) {
      shown = this.#client(this.#options.fetch ?? globalThis.fetch)
        .show({ model })
        .then((info) => {
          const result: { contextWindow?: number; tools?: boolean } = {};
          const modelInfo = (info.model_info ?? {}) as unknown as Record<string, unknown>;
          for (const [key, value] of Object.entries(modelInfo)) {
            if (key.endsWith('.context_length') && typeof value === 'number') result.contextWindow = value;
          }
          const capabilities = (info as unknown as { capabilities?: string[] }).capabilities;
          if (Array.isArray(capabilities)) result.tools = capabilities.includes('tools');
          return result;
        })
        .catch(() => {
          this.#shown.delete(model);
          return null;
        });
      this.#shown.set(model, shown);
    }
    return shown;
  }

  countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount> {
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
    const request = ollamaChatRequest({
      model: input.model,
      messages: input.messages,
      tools,
      temperature: input.temperature,
      maxOutputTokens: budget.fits ? budget.maxOutputTokens : input.maxOutputTokens,
      contextWindow: capabilities.contextWindow,
    });
    return { request, tokens, capabilities, budget };
  }

  async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    const common = { provider: this.id, model: input.model, baseUrl: this.baseUrl };
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
      keyVariable: null,
      createAssembler: () => new OllamaAssembler(this.id),
      open: async (exchange, signal) => {
        // The client makes its own AbortController; joining ours in at fetch level stops every phase.
        const joined: Fetch = (url, init) =>
          base(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
        const client = this.#client(recordingFetch(() => exchange, joined));
        const body = { ...(preview.request as Record<string, unknown>), stream: true as const };
        const stream = await client.chat(body as unknown as Parameters<Ollama['chat']>[0] & { stream: true });
        return checkedLines(stream as AsyncIterable<unknown>, () => exchange.response, this.id);
      },
      explain: (error) => this.#explain(error, input.model),
    });
  }

  async listModels(): Promise<ModelListResult> {
    try {
      const list = await this.#client(this.#options.fetch ?? globalThis.fetch).list();
      return { ok: true, models: list.models.map((model) => ({ id: model.name })) };
    } catch (error) {
      const failure = classifyError(error, {
        provider: this.id,
        baseUrl: this.baseUrl,
        keyVariable: null,
        midStream: false,
      });
      return { ok: false, failure: failure.toFailure() };
    }
  }

  async #explain(error: ProviderError, model: string): Promise<ProviderError> {
    if (error.status !== 404) return error;
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

/**
 * The `ollama` client skips a line that is not JSON with only a console warning; a malformed chunk must be
 * an error on the call (issue 3), so the lines it yielded are checked against the raw body at the end.
 */
async function* checkedLines(
  stream: AsyncIterable<unknown>,
  raw: () => string,
  provider: string,
): AsyncGenerator<unknown> {
  let yielded = 0;
  for await (const line of stream) {
    yielded += 1;
    yield line;
  }
  const lines = raw()
    .split('\n')
    .filter((line) => line.trim() !== '').length;
  if (lines !== yielded) {
    throw new MalformedResponseError({
      provider,
      detail: `${lines - yielded} stream line(s) were not valid JSON`,
    });
  }
}
