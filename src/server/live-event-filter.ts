/**
 * Which live events a stream may carry (issue 10 item 5): only those of conversations its actor may see.
 * Every event names its conversation; a private conversation of someone else sends nothing to a member's or
 * reviewer's stream, not even that it changed. An admin's stream (and token mode's) is not filtered.
 *
 * Who owns a conversation, and whether it is shared, is looked up once and kept for every stream; an event
 * that may change it (`conversation-updated`, also one relayed from another server process) drops what was
 * kept before any stream decides on it, since the bus calls the cache's listener first. Events keep their
 * order per stream: one that waits for a lookup holds back the ones after it.
 */
import type { Actor } from '../core/accounts.ts';
import type { LiveEvent } from '../core/api/events.ts';
import type { EventBus } from '../core/event-bus.ts';
import { type ConversationAccess, canSeeConversation, roleOf } from '../core/permissions.ts';
import type { ConversationAccessRepository } from '../store/conversation-access.ts';

/** Conversations whose owner is kept; past it the cache starts over (a lookup is one indexed read). */
const MAX_KEPT = 10_000;

export class ConversationVisibility {
  readonly #owners: ConversationAccessRepository;
  /** Null: no such conversation (yet); such an event is not sent. */
  readonly #kept = new Map<string, ConversationAccess | null>();

  constructor(owners: ConversationAccessRepository, events: EventBus) {
    this.#owners = owners;
    events.subscribe((event) => {
      if (
        event.type === 'conversation-updated' ||
        event.type === 'conversation-created' ||
        event.type === 'conversation-restored'
      ) {
        this.#kept.delete(event.conversationId);
      }
    });
  }

  /** Who may see it, if already known (no await: most events are decided at once). */
  known(conversationId: string): ConversationAccess | null | undefined {
    return this.#kept.get(conversationId);
  }

  async lookUp(conversationId: string): Promise<ConversationAccess | null> {
    const owner = (await this.#owners.of('conversation', conversationId)) ?? null;
    if (this.#kept.size >= MAX_KEPT) this.#kept.clear();
    this.#kept.set(conversationId, owner);
    return owner;
  }
}

/**
 * The sender of one stream: `send(event)` writes it through `write` when `actor` may see it, in order.
 *
 * @example
 * const forward = eventFilter(actor, visibility, (event) => write(event));
 * unsubscribe = events.subscribe(forward);
 */
export function eventFilter(
  actor: Actor,
  visibility: ConversationVisibility | undefined,
  write: (event: LiveEvent) => void,
): (event: LiveEvent) => void {
  if (visibility === undefined || roleOf(actor) === 'admin') return write;
  const allowed = (owner: ConversationAccess | null) => owner !== null && canSeeConversation(actor, owner);
  let pending: Promise<void> | undefined;
  return (event) => {
    const conversationId = event.conversationId;
    // A resync for every conversation says nothing about any of them.
    if (conversationId === null) {
      if (pending === undefined) write(event);
      else pending = pending.then(() => write(event));
      return;
    }
    const known = visibility.known(conversationId);
    if (pending === undefined && known !== undefined) {
      if (allowed(known)) write(event);
      return;
    }
    const decided = (pending ?? Promise.resolve())
      .then(() => visibility.known(conversationId) ?? visibility.lookUp(conversationId))
      .then(
        (owner) => {
          if (allowed(owner)) write(event);
        },
        // A failed lookup (the store closing) sends nothing: fail closed.
        () => undefined,
      );
    pending = decided;
    void decided.then(() => {
      if (pending === decided) pending = undefined;
    });
  };
}
