/**
 * What is streaming from models right now, per message: text and tool calls as they arrive (message-delta),
 * a rate-limit wait, and how the call ended. Kept outside React state so a token re-renders only the card it
 * belongs to, not the conversation. The server's final message (message-updated) replaces all of it.
 */
import type { LiveEvent } from '../../../src/core/api/events.ts';
import type { Message } from '../api/client.ts';

type ToolCall = Message['toolCalls'][number];

export interface MessageDraft {
  /** The text the deltas follow; `null` when the stream was joined midway (the message's stored text then). */
  base: string | null;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[] | null;
  /** Set while the provider asked us to wait (HTTP 429). */
  retrying: { seconds: number; message: string } | null;
}

export interface CallOutcome {
  status: string;
  error: string | null;
}

type Listener = () => void;

export class ModelStreamStore {
  readonly #drafts = new Map<string, MessageDraft>();
  readonly #outcomes = new Map<string, CallOutcome>();
  readonly #messageOfCall = new Map<string, string>();
  readonly #listeners = new Map<string, Set<Listener>>();

  draft(messageId: string): MessageDraft | undefined {
    return this.#drafts.get(messageId);
  }

  /** How the message's latest call ended, when this page saw it end. */
  outcome(messageId: string): CallOutcome | undefined {
    return this.#outcomes.get(messageId);
  }

  subscribe(messageId: string, listener: Listener): () => void {
    let set = this.#listeners.get(messageId);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(messageId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(messageId);
    };
  }

  /** Events sent while the live stream was down are lost: forget what can no longer be trusted. */
  reset(): void {
    const ids = [...this.#drafts.keys()];
    this.#drafts.clear();
    for (const id of ids) this.#notify(id);
  }

  handle(event: LiveEvent): void {
    switch (event.type) {
      case 'message-created':
        if (event.message.status === 'streaming') {
          if (event.message.modelCallId !== null)
            this.#messageOfCall.set(event.message.modelCallId, event.message.id);
          this.#outcomes.delete(event.message.id);
          this.#update(event.message.id, () => emptyDraft(event.message.content));
        }
        return;
      case 'model-call-started':
        this.#messageOfCall.set(event.modelCallId, event.messageId);
        return;
      case 'message-delta':
        this.#update(event.messageId, (draft) => ({
          ...draft,
          text: draft.text + (event.text ?? ''),
          reasoning: draft.reasoning + (event.reasoning ?? ''),
          toolCalls: event.toolCalls ?? draft.toolCalls,
          retrying: null,
        }));
        return;
      case 'model-call-retrying': {
        const messageId = this.#messageOfCall.get(event.modelCallId);
        if (messageId === undefined) return;
        this.#update(messageId, (draft) => ({
          ...draft,
          retrying: { seconds: event.seconds, message: event.message },
        }));
        return;
      }
      case 'message-updated':
        if (event.message.status !== 'streaming' && this.#drafts.delete(event.message.id))
          this.#notify(event.message.id);
        return;
      case 'model-call-ended':
        this.#messageOfCall.delete(event.modelCallId);
        this.#outcomes.set(event.messageId, { status: event.status, error: event.error });
        this.#drafts.delete(event.messageId);
        this.#notify(event.messageId);
        return;
      default:
        return;
    }
  }

  #update(messageId: string, change: (draft: MessageDraft) => MessageDraft): void {
    this.#drafts.set(messageId, change(this.#drafts.get(messageId) ?? emptyDraft(null)));
    this.#notify(messageId);
  }

  #notify(messageId: string): void {
    for (const listener of this.#listeners.get(messageId) ?? []) listener();
  }
}

function emptyDraft(base: string | null): MessageDraft {
  return { base, text: '', reasoning: '', toolCalls: null, retrying: null };
}

/** The text a streaming card shows: what the page saw arrive, after what was stored when it joined. */
export function draftText(draft: MessageDraft, stored: string): string {
  return (draft.base ?? stored) + draft.text;
}
