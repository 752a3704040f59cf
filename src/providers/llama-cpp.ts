import { existsSync } from 'node:fs';
import type { ChatModelFunctions, Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { ModelOverride } from '../core/config.ts';
import { computeOutputBudget } from '../core/context/output-budget.ts';
import type {
  AssembledToolCall,
  FinishReason,
  ModelCapabilities,
  ModelListResult,
  ModelProvider,
  ProviderDialect,
  RequestPreview,
  TokenCount,
  TurnEvent,
  TurnInput,
} from '../core/provider.ts';
import { AsyncQueue } from './async-queue.ts';
import { ContextOverflowError } from './errors/context-overflow-error.ts';
import { ProviderError } from './errors/provider-error.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { failedTurn } from './failed-turn.ts';
import { toLlamaHistory } from './llama-cpp-history.ts';
import { resolveCapabilities } from './model-limits.ts';
import { ToolCallAccumulator } from './tool-call-accumulator.ts';

type NodeLlamaCpp = typeof import('node-llama-cpp');
let library: Promise<NodeLlamaCpp> | undefined;

/** node-llama-cpp costs about 50 MB and 0.3 s to load: only a conversation that uses a GGUF file pays for it. */
function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  library ??= import('node-llama-cpp');
  return library;
}

export interface LlamaCppProviderOptions {
  id?: string;
  /** `false`: CPU only; `auto` lets node-llama-cpp use CUDA, Vulkan or Metal when its prebuilt binary has it. */
  gpu?: false | 'auto' | 'cuda' | 'vulkan' | 'metal';
  contextSize?: number;
  /** Threads for generation; on small machines the default (all cores) can be far slower than 1–2. */
  threads?: number;
  models?: Record<string, ModelOverride> | undefined;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
}

const DEFAULT_CONTEXT_SIZE = 8192;

/**
 * GGUF models the person already has, run in-process with node-llama-cpp; the "model" is the file path.
 * Nothing is downloaded or built at run time (`build: 'never'`): only the prebuilt binaries it ships.
 *
 * @example new LlamaCppProvider({ gpu: false, threads: 1 }).streamTurn({ model: '/models/qwen.gguf', messages })
 */
export class LlamaCppProvider implements ModelProvider {
  readonly id: string;
  readonly baseUrl = null;
  readonly dialect: ProviderDialect = { authorNames: 'prefix', toolMessages: true };
  readonly #options: LlamaCppProviderOptions;
  #llama: Promise<Llama> | null = null;
  readonly #loaded = new Map<string, Promise<Loaded>>();
  /** One generation at a time per provider: each model has one context sequence. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: LlamaCppProviderOptions = {}) {
    this.id = options.id ?? 'llama-cpp';
    this.#options = options;
  }

  #load(path: string): Promise<Loaded> {
    let loaded = this.#loaded.get(path);
    if (loaded === undefined) {
      this.#llama ??= nodeLlamaCpp().then(({ getLlama }) =>
        getLlama({ gpu: this.#options.gpu ?? 'auto', build: 'never', progressLogs: false }),
      );
      const llama = this.#llama;
      loaded = (async () => {
        const model = await (await llama).loadModel({ modelPath: path });
        const contextSize = Math.min(
          this.#options.contextSize ?? DEFAULT_CONTEXT_SIZE,
          model.trainContextSize,
        );
        const context = await model.createContext({
          contextSize,
          ...(this.#options.threads === undefined ? {} : { threads: this.#options.threads }),
        });
        return { model, context };
      })();
      loaded.catch(() => this.#loaded.delete(path));
      this.#loaded.set(path, loaded);
    }
    return loaded;
  }

  async capabilities(model: string): Promise<ModelCapabilities> {
    const override = this.#options.models?.[model];
    let contextWindow: number | undefined;
    if (existsSync(model)) {
      try {
        contextWindow = (await this.#load(model)).context.contextSize;
      } catch {
        contextWindow = undefined;
      }
    }
    return resolveCapabilities({
      model,
      override,
      catalog: null,
      server: { contextWindow, tools: true },
      defaultTools: true,
    });
  }

  /** Exact: the model's own tokenizer over the prompt its chat template renders. */
  async countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount> {
    if (!existsSync(input.model)) return estimateTokens(input.messages, input.tools);
    try {
      const { model, context } = await this.#load(input.model);
      const { LlamaChat } = await nodeLlamaCpp();
      const sequence = context.getSequence();
      try {
        const chat = new LlamaChat({ contextSequence: sequence });
        const state = chat.chatWrapper.generateContextState({
          chatHistory: toLlamaHistory(input.messages),
          availableFunctions: functionsOf(input.tools),
          documentFunctionParams: true,
        });
        const tokens = state.contextText.tokenize(model.tokenizer).length;
        chat.dispose({ disposeSequence: false });
        return { tokens, exact: true, method: 'model tokenizer and chat template' };
      } finally {
        sequence.dispose();
      }
    } catch {
      return estimateTokens(input.messages, input.tools);
    }
  }

  async preview(input: Omit<TurnInput, 'signal'>): Promise<RequestPreview> {
    const capabilities = await this.capabilities(input.model);
    const tokens = await this.#serialized(() => this.countTokens(input));
    const budget = computeOutputBudget({
      model: input.model,
      input: tokens,
      contextWindow: capabilities.contextWindow,
      requestedMaxOutputTokens: input.maxOutputTokens,
      modelMaxOutputTokens: capabilities.maxOutputTokens,
    });
    const request: Record<string, unknown> = {
      modelPath: input.model,
      chatHistory: toLlamaHistory(input.messages),
      functions: functionsOf(input.tools) ?? null,
      contextSize: capabilities.contextWindow,
    };
    if (input.temperature !== undefined) request.temperature = input.temperature;
    if (budget.fits && budget.maxOutputTokens !== null) request.maxTokens = budget.maxOutputTokens;
    return { request, tokens, capabilities, budget };
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    const common = { provider: this.id, model: input.model, baseUrl: null };
    if (!existsSync(input.model)) {
      const error = new ProviderError({
        code: 'model-file-missing',
        provider: this.id,
        message: `no GGUF file at ${input.model}; give the path of a model file you already have`,
      });
      yield* failedTurn({ ...common, request: null, error });
      return;
    }
    const preview = await this.preview(input);
    if (!preview.budget.fits) {
      yield* failedTurn({
        ...common,
        request: preview.request,
        error: new ContextOverflowError({ provider: this.id, message: preview.budget.message }),
      });
      return;
    }
    const queue = new AsyncQueue<TurnEvent>();
    const started = performance.now();
    let firstToken: number | null = null;
    const tools = new ToolCallAccumulator();
    let content = '';
    const mark = () => {
      firstToken ??= performance.now();
    };
    const generation = this.#serialized(() =>
      this.#generate(input, preview.request as Record<string, unknown>, {
        onText: (text) => {
          mark();
          content += text;
          queue.push({ type: 'text-delta', text });
        },
        onParams: (index, name, delta) => {
          mark();
          for (const event of tools.begin(index, null, name)) queue.push(event);
          for (const event of tools.append(index, delta)) queue.push(event);
        },
      }),
    ).finally(() => queue.close());
    for await (const event of queue) yield event;

    let reason: FinishReason;
    let failure = null;
    let response = '';
    let usage = null;
    try {
      const result = await generation;
      reason = result.reason;
      response = JSON.stringify(result.raw);
      usage = result.usage;
      result.calls.forEach((call, index) => {
        if (!tools.has(index)) tools.begin(index, null, call.name);
      });
    } catch (error) {
      reason = 'error';
      failure = new ProviderError({
        code: 'in-process-failure',
        provider: this.id,
        message: `the model at ${input.model} failed: ${(error as Error).message}`,
        cause: error,
      }).toFailure();
    }
    for (const event of tools.endAll(reason === 'tool-calls' || reason === 'stop')) yield event;
    if (failure !== null) yield { type: 'error', failure };
    if (usage !== null) yield { type: 'usage', usage };
    const toolCalls: AssembledToolCall[] = tools.list();
    yield {
      type: 'finish',
      reason: toolCalls.length > 0 && reason === 'stop' ? 'tool-calls' : reason,
      message: { content, reasoning: '', toolCalls },
      usage,
      failure,
      record: {
        ...common,
        request: preview.request,
        response,
        timeToFirstTokenMs: firstToken === null ? null : Math.round(firstToken - started),
        durationMs: Math.round(performance.now() - started),
      },
    };
  }

  async #generate(
    input: TurnInput,
    request: Record<string, unknown>,
    on: { onText: (text: string) => void; onParams: (index: number, name: string, delta: string) => void },
  ) {
    const { context } = await this.#load(input.model);
    const { LlamaChat } = await nodeLlamaCpp();
    const sequence = context.getSequence();
    const chat = new LlamaChat({ contextSequence: sequence });
    const before = sequence.tokenMeter.getState();
    try {
      const functions = functionsOf(input.tools);
      const result = await chat.generateResponse(toLlamaHistory(input.messages), {
        onTextChunk: (text) => {
          if (text !== '') on.onText(text);
        },
        ...(functions === undefined
          ? {}
          : {
              functions,
              documentFunctionParams: true,
              maxParallelFunctionCalls: 1,
              onFunctionCallParamsChunk: (chunk) =>
                on.onParams(chunk.callIndex, chunk.functionName, chunk.paramsChunk),
            }),
        ...(input.signal === undefined ? {} : { signal: input.signal, stopOnAbortSignal: true }),
        ...(typeof request.temperature === 'number' ? { temperature: request.temperature } : {}),
        ...(typeof request.maxTokens === 'number' ? { maxTokens: request.maxTokens } : {}),
      });
      const after = sequence.tokenMeter.getState();
      const stop = result.metadata.stopReason;
      const reason: FinishReason =
        stop === 'abort'
          ? 'stopped'
          : stop === 'maxTokens'
            ? 'length'
            : stop === 'functionCalls'
              ? 'tool-calls'
              : 'stop';
      const calls = (result.functionCalls ?? []).map((call) => ({
        name: call.functionName,
        params: call.params,
      }));
      return {
        reason,
        calls,
        usage: {
          inputTokens: after.usedInputTokens - before.usedInputTokens,
          outputTokens: after.usedOutputTokens - before.usedOutputTokens,
        },
        raw: { response: result.response, functionCalls: calls, stopReason: stop },
      };
    } finally {
      chat.dispose({ disposeSequence: false });
      sequence.dispose();
    }
  }

  /** GGUF models are files, not a server's list; the configured ones are what there is to offer. */
  listModels(): Promise<ModelListResult> {
    return Promise.resolve({
      ok: true,
      models: Object.keys(this.#options.models ?? {}).map((id) => ({ id })),
    });
  }

  async dispose(): Promise<void> {
    for (const loaded of this.#loaded.values()) {
      const { model, context } = await loaded.catch(() => ({ model: null, context: null }));
      await context?.dispose();
      await model?.dispose();
    }
    this.#loaded.clear();
    if (this.#llama !== null) await (await this.#llama).dispose();
    this.#llama = null;
  }
}

function functionsOf(tools: TurnInput['tools']): ChatModelFunctions | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  const functions: Record<string, { description: string; params: ChatModelFunctions[string]['params'] }> = {};
  for (const tool of tools) {
    functions[tool.name] = {
      description: tool.description,
      params: tool.parameters as unknown as ChatModelFunctions[string]['params'],
    };
  }
  return functions;
}
