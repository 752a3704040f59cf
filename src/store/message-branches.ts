/**
 * The branch structure of one message's tree, as MessageRepository reads it for a single message: its
 * siblings (the alternatives a person pages through with the sibling arrows) and the leaf a branch leads
 * to. It is its own file because the order both answers follow (created_at, then id, newest child last)
 * is one rule; a path of many messages reads its siblings in one batch instead (path-window.ts).
 */
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';
import type { MessageRow } from './rows.ts';

/**
 * The live children of the message's parent, and the message itself, in the order sibling arrows show
 * them (created_at, then id). Sorted here, not by ORDER BY: run through node:sqlite, this statement with an
 * ORDER BY took ~20 µs more (three times the lookup) though the index yields that order and the engine
 * runs the same lookup as a subquery in the same time either way; every append and get asks this.
 */
export function siblingIds(
  db: SqliteDatabase,
  row: Pick<MessageRow, 'id' | 'conversation_id' | 'parent_id'>,
): string[] {
  const siblings = prepared<[string, string | null, string | null], { id: string; created_at: string }>(
    db,
    `SELECT id, created_at FROM messages WHERE conversation_id = ? AND parent_id IS ?
       AND (deleted_at IS NULL OR id = ?)`,
  ).all(row.conversation_id, row.parent_id, row.id);
  if (siblings.length > 1) siblings.sort(bySiblingOrder);
  return siblings.map((sibling) => sibling.id);
}

/** The message's most recent live descendant, following the newest child at each step; itself if none. */
export function newestLeafUnder(db: SqliteDatabase, messageId: string): string {
  let leaf = messageId;
  for (;;) {
    const child = prepared<[string], { id: string }>(
      db,
      'SELECT id FROM messages WHERE parent_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1',
    ).get(leaf);
    if (!child) return leaf;
    leaf = child.id;
  }
}

/** created_at, then id, compared as SQLite's BINARY collation does (both are ASCII). */
function bySiblingOrder(
  a: { id: string; created_at: string },
  b: { id: string; created_at: string },
): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
