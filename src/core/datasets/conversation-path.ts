/**
 * The messages an example is made of (issue 9 item 3): the conversation's current path, root first, the
 * branch the person last looked at and went on from. Other branches do not make SFT examples of their own:
 * a sibling off the path is a regenerated answer the person did not keep, and it shows up only as the
 * rejected side of a preference pair (preference-pairs.ts).
 */
import type { ConversationRecord, RecordMessage } from './conversation-record.ts';

/** The record's messages by id. */
export function messagesById(record: ConversationRecord): Map<string, RecordMessage> {
  const byId = new Map<string, RecordMessage>();
  for (const message of record.messages) byId.set(message.id, message);
  return byId;
}

/**
 * The current path from the root to the conversation's current leaf (deleted and unchecked messages
 * included: the caller decides); empty when the conversation has no leaf.
 *
 * @example currentPath(record).map((message) => message.content)
 */
export function currentPath(record: ConversationRecord): RecordMessage[] {
  const leaf = record.conversation.currentLeafId;
  return leaf === null ? [] : pathTo(record, leaf);
}

/** The path up to and including `messageId` (root first); empty when it is not in the record. */
export function pathTo(record: ConversationRecord, messageId: string): RecordMessage[] {
  const byId = messagesById(record);
  const path: RecordMessage[] = [];
  const seen = new Set<string>();
  let id: string | null = messageId;
  while (id !== null) {
    const message = byId.get(id);
    // A cycle or a missing parent cannot come from the store's triggers; stop rather than loop.
    if (message === undefined || seen.has(id)) break;
    seen.add(id);
    path.push(message);
    id = message.parentId;
  }
  return path.reverse();
}
