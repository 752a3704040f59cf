import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';
import { CURRENT_REVISION_JOIN, MESSAGE_COLUMNS, type MessageRow } from './rows.ts';

/**
 * Windows of a path read from the newest end: a walk up the parent links that stops after the window, so
 * opening a conversation costs the same at 10 messages as at 10,000 (issue 7 item 9).
 */
export interface PathWindowRows {
  /** Oldest first. */
  rows: MessageRow[];
  /** Whether the path goes on above the first row (with a message the window would show). */
  hasOlder: boolean;
}

/**
 * Up to `limit` messages ending at `startId` (the leaf, or the parent of the oldest message already shown),
 * tombstoned ones counted and returned only with `includeDeleted`.
 */
export function pathWindowRows(
  db: SqliteDatabase,
  options: { startId: string; limit: number; includeDeleted: boolean },
): PathWindowRows {
  const shown = options.includeDeleted ? 1 : 0;
  // `taken` counts the messages the window shows, so the walk stops one past the window: that one says
  // whether there is more above.
  const rows = prepared<[number, string, number, number, number], MessageRow & { taken: number }>(
    db,
    `WITH RECURSIVE path(id, parent_id, depth, taken) AS (
         SELECT id, parent_id, 0, (deleted_at IS NULL OR ?1) FROM messages WHERE id = ?2
         UNION ALL
         SELECT m.id, m.parent_id, p.depth + 1, p.taken + (m.deleted_at IS NULL OR ?1)
           FROM path p JOIN messages m ON m.id = p.parent_id
           WHERE p.taken < ?3
       )
       SELECT ${MESSAGE_COLUMNS}, p.taken FROM path p JOIN messages m ON m.id = p.id ${CURRENT_REVISION_JOIN}
       WHERE (m.deleted_at IS NULL OR ?4) AND p.taken <= ?5
       ORDER BY p.depth DESC`,
  ).all(shown, options.startId, options.limit + 1, shown, options.limit + 1);
  const hasOlder = rows.length > 0 && rows[0]!.taken > options.limit;
  return { rows: hasOlder ? rows.slice(1) : rows, hasOlder };
}

/**
 * How many shown messages lie from `startId` up to and including `targetId`, or null when `targetId` is
 * not above `startId`. Jumping to an old message (a search hit) loads that many; the walk is as long as
 * the distance, which is the person's choice.
 */
export function distanceUpTo(
  db: SqliteDatabase,
  options: { startId: string; targetId: string; includeDeleted: boolean },
): number | null {
  const shown = options.includeDeleted ? 1 : 0;
  const row = prepared<[number, string, number, string, string], { taken: number }>(
    db,
    `WITH RECURSIVE path(id, parent_id, taken) AS (
         SELECT id, parent_id, (deleted_at IS NULL OR ?1) FROM messages WHERE id = ?2
         UNION ALL
         SELECT m.id, m.parent_id, p.taken + (m.deleted_at IS NULL OR ?3)
           FROM path p JOIN messages m ON m.id = p.parent_id
           WHERE p.id <> ?4
       )
       SELECT taken FROM path WHERE id = ?5`,
  ).get(shown, options.startId, shown, options.targetId, options.targetId);
  return row?.taken ?? null;
}

/**
 * The sibling ids (live ones, plus the message itself) of each row, in the order the arrows show them:
 * one indexed lookup per distinct parent in the window, none over the rest of the conversation.
 */
export function siblingIdsOf(db: SqliteDatabase, rows: readonly MessageRow[]): Map<string, string[]> {
  const byParent = new Map<string | null, { id: string; deleted: boolean }[]>();
  for (const row of rows) {
    if (byParent.has(row.parent_id)) continue;
    const children = prepared<[string, string | null], { id: string; deleted_at: string | null }>(
      db,
      `SELECT id, deleted_at FROM messages WHERE conversation_id = ? AND parent_id IS ?
         ORDER BY created_at, id`,
    ).all(row.conversation_id, row.parent_id);
    byParent.set(
      row.parent_id,
      children.map((child) => ({ id: child.id, deleted: child.deleted_at !== null })),
    );
  }
  const result = new Map<string, string[]>();
  for (const row of rows) {
    const family = byParent.get(row.parent_id) ?? [];
    const ids = family.filter((sibling) => !sibling.deleted || sibling.id === row.id).map((s) => s.id);
    result.set(row.id, ids.length > 0 ? ids : [row.id]);
  }
  return result;
}
