/**
 * Review (issue 9 item 1): a person's ratings, tags, notes and outcomes, each one transaction in the store
 * (labels.ts), announced as `label-changed` once it has committed so every open page shows it. Reviewers may
 * do all of it (the `label` permission); nothing here changes a conversation's messages or runs anything.
 */
import type { LabelDto, ModelCallListItem, Outcome, Rating } from '../core/api/review-schemas.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { LabelChange, LabelTarget } from '../store/labels.ts';
import { listModelCalls } from '../store/model-call-list.ts';
import type { Store } from '../store/store.ts';

export class Review {
  readonly #store: Store;
  readonly #events: EventBus;

  constructor(store: Store, events: EventBus) {
    this.#store = store;
    this.#events = events;
  }

  /** The conversation's current labels (with `includeRemoved`, its whole review history), oldest first. */
  labels(conversationId: string, options: { includeRemoved?: boolean } = {}): Promise<LabelDto[]> {
    return this.#store.labels.list(conversationId, options);
  }

  rate(target: LabelTarget, input: { value: Rating; reason?: string | null }): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.rate(target, input));
  }

  unrate(target: LabelTarget): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.unrate(target));
  }

  tag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.tag(target, tag));
  }

  untag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.untag(target, tag));
  }

  note(target: LabelTarget, text: string): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.note(target, text));
  }

  outcome(conversationId: string, outcome: Outcome | null): Promise<LabelChange> {
    return this.#announce(() => this.#store.labels.outcome(conversationId, outcome));
  }

  /** Every model call of the conversation, those that left no message included, oldest first. */
  modelCalls(conversationId: string): Promise<ModelCallListItem[]> {
    return listModelCalls(this.#store.database, conversationId);
  }

  async #announce(change: () => Promise<LabelChange>): Promise<LabelChange> {
    const result = await this.#store.transaction(change);
    if (result.changed) {
      this.#events.publish({
        type: 'label-changed',
        conversationId: result.conversationId,
        label: result.label,
        removed: result.removed,
      });
    }
    return result;
  }
}
