import { assembleContext } from '../core/context/assemble-context.ts';
import { estimateMargin } from '../core/context/output-budget.ts';
import type { ConversationSettings, Message, MessageStatus, ToolCall } from '../core/domain.ts';
import { ConflictError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type {
  AssembledToolCall,
  ModelProvider,
  RequestPreview,
  ToolDefinition,
  TurnEvent,
} from '../core/provider.ts';
import type { Store } from '../store/store.ts';

/** The provider and model a conversation's settings resolve to (config, environment, first-run choice). */
export interface ProviderChoice {
  provider: ModelProvider;
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
}

export interface ProviderResolver {
  /**
   * Throws an AppError a person can act on when no usable model is chosen (e.g. `human`, a missing key).
   * For a preview, `human` resolves to a provider that only counts, so the meter works without a model.
   */
  resolve(settings: ConversationSettings, purpose?: 'generate' | 'preview'): Promise<ProviderChoice>;
}

/** The context does not fit the model's window; the message carries the numbers. */
export class ContextTooLargeError extends ConflictError {
  constructor(message: string) {
    super(message);
    this.name = 'ContextTooLargeError';
  }
}

export interface ModelTurnsOptions {
  store: Store;
  events: EventBus;
  providers: ProviderResolver;
  /** Tools offered when the model supports them (the terminal's `run_command`). */
  tools?: () => ToolDefinition[];
  /** Called once a turn has ended and its message is final (the terminal turns tool calls into proposals). */
  onTurnEnded?: (message: Message) => void;
  /** How often a streaming answer is written to the database (issue 3: at most half a second is lost). */
  persistIntervalMs?: number;
  /**
   * Automatic compaction (issue 8 item 7), for conversations that opted in: summarises the oldest messages
   * of `path` so that `tokensToFree` more fit; resolves false when it could not.
   */
  compact?: (conversationId: string, path: readonly Message[], tokensToFree: number) => Promise<boolean>;
}

interface RunningTurn {
  controller: AbortController;
  done: Promise<void>;
}

export interface PreviewResult extends RequestPreview {
  provider: string;
  model: string;
}

/**
 * Model turns: assembles the context from the current path, streams the provider's answer into a new
 * assistant message, persists it as it arrives, and records the exact request and raw response.
 */
export class ModelTurns {
  readonly #options: ModelTurnsOptions;
  readonly #running = new Map<string, RunningTurn>();

  constructor(options: ModelTurnsOptions) {
    this.#options = options;
  }

  /** Resolves the conversation's provider; throws the actionable error if it cannot answer. */
  async choose(conversationId: string): Promise<ProviderChoice> {
    const conversation = await this.#options.store.conversations.get(conversationId);
    return this.#options.providers.resolve(conversation.settings);
  }

  async preview(conversationId: string, upTo?: string): Promise<PreviewResult> {
    const conversation = await this.#options.store.conversations.get(conversationId);
    const choice = await this.#options.providers.resolve(conversation.settings, 'preview');
    const path = await this.#contextPath(conversationId, upTo);
    const systemPrompt = conversation.settings.systemPrompt;
    return {
      ...(await this.#preview(choice, path, systemPrompt)),
      provider: choice.provider.id,
      model: choice.model,
    };
  }

  /**
   * Starts a turn and returns once its message and model-call rows exist; the answer streams in the
   * background. With `regenerate`, the answer is a new sibling of that assistant message.
   */
  async start(
    conversationId: string,
    options: { regenerate?: string } = {},
  ): Promise<{ modelCallId: string; messageId: string }> {
    const { store, events } = this.#options;
    const conversation = await store.conversations.get(conversationId);
    const choice = await this.#options.providers.resolve(conversation.settings);
    const systemPrompt = conversation.settings.systemPrompt;
    let parentId: string | null | undefined;
    if (options.regenerate !== undefined) {
      const previous = await store.messages.get(options.regenerate);
      if (previous.conversationId !== conversationId || previous.role !== 'assistant') {
        throw new ConflictError(
          `message ${options.regenerate} is not an assistant message of this conversation`,
        );
      }
      parentId = previous.parentId;
    }
    const upTo = parentId === undefined ? undefined : (parentId ?? '');
    let path = await this.#contextPath(conversationId, upTo);
    let preview = await this.#preview(choice, path, systemPrompt);
    // Only a turn at the leaf compacts: a summary is appended there, which would not be on a regenerated path.
    const compact = this.#options.compact;
    if (!preview.budget.fits && conversation.settings.autoCompact === true && compact && upTo === undefined) {
      const { budget } = preview;
      const tokensToFree =
        budget.inputTokens +
        estimateMargin(preview.tokens) +
        budget.minimumOutputTokens -
        budget.contextWindow;
      if (await compact(conversationId, path, tokensToFree)) {
        path = await this.#contextPath(conversationId, upTo);
        preview = await this.#preview(choice, path, systemPrompt);
      }
    }
    if (!preview.budget.fits) throw new ContextTooLargeError(preview.budget.message);
    const context = assembleContext({ path, dialect: choice.provider.dialect, systemPrompt });

    const { message, modelCallId } = await store.transaction(async () => {
      const message = await store.messages.append(conversationId, {
        role: 'assistant',
        author: 'model',
        status: 'streaming',
        ...(parentId === undefined ? {} : { parentId }),
      });
      const call = await store.modelCalls.create({
        conversationId,
        messageId: message.id,
        provider: choice.provider.id,
        model: choice.model,
        baseUrl: choice.provider.baseUrl,
        request: JSON.stringify(preview.request),
      });
      await store.messages.setModelCall(message.id, call.id);
      return { message: await store.messages.get(message.id), modelCallId: call.id };
    });
    events.publish({ type: 'message-created', conversationId, message });
    events.publish({ type: 'model-call-started', conversationId, modelCallId, messageId: message.id });

    const controller = new AbortController();
    const tools = preview.capabilities.tools ? (this.#options.tools?.() ?? []) : [];
    const done = this.#stream({
      conversationId,
      messageId: message.id,
      modelCallId,
      choice,
      input: {
        model: choice.model,
        messages: context.messages,
        ...(tools.length > 0 ? { tools } : {}),
        ...(choice.temperature === undefined ? {} : { temperature: choice.temperature }),
        ...(preview.budget.fits && preview.budget.maxOutputTokens !== null
          ? { maxOutputTokens: preview.budget.maxOutputTokens }
          : {}),
        signal: controller.signal,
      },
    }).finally(() => this.#running.delete(modelCallId));
    this.#running.set(modelCallId, { controller, done });
    return { modelCallId, messageId: message.id };
  }

  /** Stop: cancels the request; what arrived is kept and the message is marked stopped. */
  async stop(modelCallId: string): Promise<void> {
    await this.#options.store.modelCalls.get(modelCallId);
    const running = this.#running.get(modelCallId);
    if (running === undefined) return;
    running.controller.abort();
    await running.done;
  }

  /** Waits for every running turn (tests, shutdown). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((turn) => turn.done));
  }

  async close(): Promise<void> {
    for (const turn of this.#running.values()) turn.controller.abort();
    await this.whenIdle();
  }

  /** At start: a crash left answers streaming; keep what was persisted and say what happened. */
  async recoverAfterCrash(): Promise<void> {
    const { store } = this.#options;
    // Calls first: a draft whose call is still running after that streams in another live server process.
    await store.transaction(async () => {
      await store.modelCalls.markRunningInterrupted('the server stopped while this call was running');
      await store.messages.finishAbandonedDrafts();
    });
  }

  async #preview(
    choice: ProviderChoice,
    path: Message[],
    systemPrompt: string | undefined,
  ): Promise<RequestPreview> {
    const context = assembleContext({ path, dialect: choice.provider.dialect, systemPrompt });
    const capabilities = await choice.provider.capabilities(choice.model);
    const tools = capabilities.tools ? (this.#options.tools?.() ?? []) : [];
    return choice.provider.preview({
      model: choice.model,
      messages: context.messages,
      ...(tools.length > 0 ? { tools } : {}),
      ...(choice.temperature === undefined ? {} : { temperature: choice.temperature }),
      ...(choice.maxOutputTokens === undefined ? {} : { maxOutputTokens: choice.maxOutputTokens }),
    });
  }

  /** The path the model sees: the current one, or (regenerating) the one ending at `upTo` ('' = empty). */
  async #contextPath(conversationId: string, upTo?: string): Promise<Message[]> {
    const path = await this.#options.store.messages.path(conversationId, { includeDeleted: true });
    if (upTo === undefined) return path;
    if (upTo === '') return [];
    const end = path.findIndex((message) => message.id === upTo);
    return end === -1 ? path : path.slice(0, end + 1);
  }

  async #stream(turn: {
    conversationId: string;
    messageId: string;
    modelCallId: string;
    choice: ProviderChoice;
    input: Parameters<ModelProvider['streamTurn']>[0];
  }): Promise<void> {
    const { store, events } = this.#options;
    const { conversationId, messageId, modelCallId } = turn;
    let content = '';
    let toolCalls: AssembledToolCall[] = [];
    let dirty = false;
    // One draft write at a time: a slow database skips a tick (the next carries everything) instead of
    // piling writes up, and finishDraft below waits for the one in flight, so it always lands last.
    let writing: Promise<void> | null = null;
    const persist = () => {
      if (!dirty || writing !== null) return;
      dirty = false;
      writing = store.messages
        .updateDraft(messageId, { content, toolCalls: plain(toolCalls) })
        .catch((error: unknown) => {
          // Only this draft is lost; the final write below still records the whole answer.
          console.error(`could not save the draft of message ${messageId}: ${(error as Error).message}`);
        })
        .finally(() => {
          writing = null;
        });
    };
    const timer = setInterval(persist, this.#options.persistIntervalMs ?? 500);
    let finish: Extract<TurnEvent, { type: 'finish' }> | undefined;
    try {
      for await (const event of turn.choice.provider.streamTurn(turn.input)) {
        switch (event.type) {
          case 'text-delta':
            content += event.text;
            dirty = true;
            events.publish({ type: 'message-delta', conversationId, messageId, text: event.text });
            break;
          case 'reasoning-delta':
            events.publish({ type: 'message-delta', conversationId, messageId, reasoning: event.text });
            break;
          case 'tool-call-start':
            toolCalls[event.index] = { id: event.id, name: event.name, arguments: '', complete: false };
            dirty = true;
            events.publish({ type: 'message-delta', conversationId, messageId, toolCalls: plain(toolCalls) });
            break;
          case 'tool-call-delta': {
            const call = toolCalls[event.index];
            if (call !== undefined) call.arguments += event.argumentsDelta;
            dirty = true;
            events.publish({ type: 'message-delta', conversationId, messageId, toolCalls: plain(toolCalls) });
            break;
          }
          case 'tool-call-end':
            toolCalls[event.index] = event.toolCall;
            dirty = true;
            break;
          case 'retry-waiting':
            events.publish({
              type: 'model-call-retrying',
              conversationId,
              modelCallId,
              seconds: event.seconds,
              message: event.failure.message,
            });
            break;
          case 'finish':
            finish = event;
            break;
          default:
            break;
        }
      }
    } catch (error) {
      // Providers report failures as events; an exception here is a bug, kept on the call rather than lost.
      console.error(error);
    } finally {
      clearInterval(timer);
      await writing;
    }

    const status: MessageStatus =
      finish === undefined || finish.reason === 'error'
        ? 'error'
        : finish.reason === 'stopped'
          ? 'stopped'
          : 'complete';
    if (finish !== undefined) {
      content = finish.message.content;
      toolCalls = finish.message.toolCalls;
    }
    const error =
      finish === undefined
        ? 'the provider stream ended without finishing (a bug; see the server log)'
        : (finish.failure?.message ?? null);
    const message = await store.transaction(async () => {
      const final = await store.messages.finishDraft(messageId, {
        content,
        toolCalls: plain(toolCalls),
        status,
      });
      await store.modelCalls.finish(modelCallId, {
        status: status === 'complete' ? 'completed' : status,
        request: JSON.stringify(finish?.record.request ?? null),
        response: finish?.record.response ?? null,
        assembled: JSON.stringify(finish?.message ?? { content, toolCalls }),
        usage: (finish?.usage ?? null) as Record<string, unknown> | null,
        finishReason: finish?.reason ?? null,
        timeToFirstTokenMs: finish?.record.timeToFirstTokenMs ?? null,
        durationMs: finish?.record.durationMs ?? null,
        error,
      });
      return final;
    });
    events.publish({ type: 'message-updated', conversationId, message });
    events.publish({ type: 'model-call-ended', conversationId, modelCallId, messageId, status, error });
    this.#options.onTurnEnded?.(message);
  }
}

function plain(toolCalls: readonly (AssembledToolCall | undefined)[]): ToolCall[] {
  return toolCalls
    .filter((call): call is AssembledToolCall => call !== undefined)
    .map((call) => ({ id: call.id, name: call.name, arguments: call.arguments }));
}
