/**
 * Summarising a range of a conversation's path (issue 8 item 7): the model drafts the summary (its call
 * recorded in model_calls like any turn), or the person gives the text; the store appends it as one message
 * standing for the range, whose originals stay unchecked (store/summaries.ts), and undo puts them back.
 */
import { COMPACTION_SUMMARY_TOKENS, compactionRange } from '../core/context/compaction-range.ts';
import { summaryRange, summaryRequestMessages } from '../core/context/summary-request.ts';
import type { Message } from '../core/domain.ts';
import { InvalidRequestError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Store } from '../store/store.ts';
import { draftWithModel } from './model-draft.ts';
import type { ProviderResolver } from './model-turns.ts';

export interface SummariesOptions {
  store: Store;
  events: EventBus;
  providers: ProviderResolver;
}

export interface SummaryResult {
  summary: Message;
  originals: Message[];
}

export class Summaries {
  readonly #options: SummariesOptions;

  constructor(options: SummariesOptions) {
    this.#options = options;
  }

  /**
   * Summarises the checked messages from `fromMessageId` to `toMessageId` of the current path. With
   * `content`, that is the summary (a person wrote it: no model call); else the conversation's model drafts
   * it, and the draft is revision 1 exactly as the model wrote it.
   */
  async summarize(
    conversationId: string,
    input: { fromMessageId: string; toMessageId: string; content?: string | undefined },
  ): Promise<SummaryResult> {
    const { store } = this.#options;
    const path = await store.messages.path(conversationId, { includeDeleted: true });
    const found = summaryRange(path, input.fromMessageId, input.toMessageId);
    if ('problem' in found) throw new InvalidRequestError(found.problem, found.field);
    const ids = found.range.map((message) => message.id);
    if (input.content !== undefined) {
      return this.#store(conversationId, {
        content: input.content,
        author: 'human',
        editor: 'human',
        summarizes: ids,
      });
    }
    const draft = await this.draft(conversationId, found.range);
    return this.#store(conversationId, {
      content: draft.content,
      author: 'model',
      editor: 'model',
      summarizes: ids,
      modelCallId: draft.modelCallId,
    });
  }

  /**
   * Asks the conversation's model for a summary of `range` and records the call; throws (after recording
   * it) when the model fails or does not fit the range in its window.
   */
  async draft(
    conversationId: string,
    range: readonly Message[],
    options: { maxOutputTokens?: number } = {},
  ): Promise<{ content: string; modelCallId: string }> {
    const { store, providers } = this.#options;
    const conversation = await store.conversations.get(conversationId);
    return draftWithModel({
      store,
      providers,
      conversationId,
      what: 'the summary',
      ...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
      messages: (dialect) =>
        summaryRequestMessages({ range, dialect, systemPrompt: conversation.settings.systemPrompt }),
    });
  }

  /**
   * Automatic compaction (opt-in per conversation): summarises the oldest messages of `path` that free
   * `tokensToFree` (compaction-range.ts), visibly: the summary is a message like any other, and a
   * `context-compacted` event says what happened and how to undo it. Null when no range would free enough.
   */
  async compact(
    conversationId: string,
    path: readonly Message[],
    tokensToFree: number,
  ): Promise<SummaryResult | null> {
    const range = compactionRange(path, tokensToFree);
    if (range === null) return null;
    const draft = await this.draft(conversationId, range, { maxOutputTokens: COMPACTION_SUMMARY_TOKENS });
    const result = await this.#store(conversationId, {
      content: draft.content,
      author: 'model',
      editor: 'model',
      summarizes: range.map((message) => message.id),
      modelCallId: draft.modelCallId,
    });
    this.#options.events.publish({
      type: 'context-compacted',
      conversationId,
      summaryMessageId: result.summary.id,
      messageIds: result.originals.map((message) => message.id),
      message:
        `The conversation did not fit the model's window, so its ${range.length} oldest messages were ` +
        'summarised (auto-compact). They are kept, unchecked; undo the summary to send them again.',
    });
    return result;
  }

  /** Un-summarizes: the originals are checked again and the summary unchecked. */
  async undo(summaryId: string): Promise<SummaryResult> {
    const { store } = this.#options;
    const result = await store.transaction(() => store.summaries.undo(summaryId));
    this.#announce(result, false);
    return result;
  }

  async #store(
    conversationId: string,
    input: {
      content: string;
      author: string;
      editor: 'human' | 'model';
      summarizes: string[];
      modelCallId?: string;
    },
  ): Promise<SummaryResult> {
    const { store } = this.#options;
    const result = await store.transaction(async () => {
      const created = await store.summaries.create(conversationId, { role: 'user', ...input });
      if (input.modelCallId !== undefined)
        await store.modelCalls.linkMessage(input.modelCallId, created.summary.id);
      return created;
    });
    this.#announce(result, true);
    return result;
  }

  #announce(result: SummaryResult, created: boolean): void {
    const { events } = this.#options;
    const conversationId = result.summary.conversationId;
    events.publish(
      created
        ? { type: 'message-created', conversationId, message: result.summary }
        : { type: 'message-updated', conversationId, message: result.summary },
    );
    for (const message of result.originals)
      events.publish({ type: 'message-updated', conversationId, message });
  }
}
