import { type Kysely, sql } from 'kysely';
import type { StoreTables } from './engines/store-tables.ts';
import { CURRENT_REVISION_JOIN, MESSAGE_COLUMNS, type MessageRow } from './rows.ts';

/**
 * Windows of a path read from the newest end: a walk up the parent links that stops after the window, so
 * opening a conversation costs the same at 10 messages as at 10,000 (issue 7 item 9).
 *
 * The walks are recursive CTEs in the SQL both engines share: whether a message counts is a CASE giving 1
 * or 0 (a boolean would be 1/0 on SQLite and true/false on PostgreSQL, which cannot add it), and a value used
 * twice is passed twice (numbered parameters are SQLite's alone).
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
export async function pathWindowRows(
  db: Kysely<StoreTables>,
  options: { startId: string; limit: number; includeDeleted: boolean },
): Promise<PathWindowRows> {
  const shown = options.includeDeleted ? 1 : 0;
  const bound = options.limit + 1;
  // `taken` counts the messages the window shows, so the walk stops one past the window: that one says
  // whether there is more above.
  const { rows } = await sql<MessageRow & { taken: number }>`
    WITH RECURSIVE path(id, parent_id, depth, taken) AS (
      SELECT id, parent_id, 0, CASE WHEN deleted_at IS NULL OR ${shown} = 1 THEN 1 ELSE 0 END
        FROM messages WHERE id = ${options.startId}
      UNION ALL
      SELECT m.id, m.parent_id, p.depth + 1,
          p.taken + CASE WHEN m.deleted_at IS NULL OR ${shown} = 1 THEN 1 ELSE 0 END
        FROM path p JOIN messages m ON m.id = p.parent_id
        WHERE p.taken < ${bound}
    )
    SELECT ${MESSAGE_COLUMNS}, p.taken FROM path p JOIN messages m ON m.id = p.id ${CURRENT_REVISION_JOIN}
    WHERE (m.deleted_at IS NULL OR ${shown} = 1) AND p.taken <= ${bound}
    ORDER BY p.depth DESC`.execute(db);
  const hasOlder = rows.length > 0 && rows[0]!.taken > options.limit;
  return { rows: hasOlder ? rows.slice(1) : rows, hasOlder };
}

/**
 * How many shown messages lie from `startId` up to and including `targetId`, or null when `targetId` is
 * not above `startId`. Jumping to an old message (a search hit) loads that many; the walk is as long as
 * the distance, which is the person's choice.
 */
export async function distanceUpTo(
  db: Kysely<StoreTables>,
  options: { startId: string; targetId: string; includeDeleted: boolean },
): Promise<number | null> {
  const shown = options.includeDeleted ? 1 : 0;
  const { rows } = await sql<{ taken: number }>`
    WITH RECURSIVE path(id, parent_id, taken) AS (
      SELECT id, parent_id, CASE WHEN deleted_at IS NULL OR ${shown} = 1 THEN 1 ELSE 0 END
        FROM messages WHERE id = ${options.startId}
      UNION ALL
      SELECT m.id, m.parent_id, p.taken + CASE WHEN m.deleted_at IS NULL OR ${shown} = 1 THEN 1 ELSE 0 END
        FROM path p JOIN messages m ON m.id = p.parent_id
        WHERE p.id <> ${options.targetId}
    )
    SELECT taken FROM path WHERE id = ${options.targetId}`.execute(db);
  return rows[0]?.taken ?? null;
}

/**
 * The sibling ids (live ones, plus the message itself) of each row, in the order the arrows show them:
 * one indexed lookup per distinct parent in the window, none over the rest of the conversation.
 */
export async function siblingIdsOf(
  db: Kysely<StoreTables>,
  rows: readonly MessageRow[],
): Promise<Map<string, string[]>> {
  const byParent = new Map<string | null, { id: string; deleted: boolean }[]>();
  for (const row of rows) {
    if (byParent.has(row.parent_id)) continue;
    const children = db
      .selectFrom('messages')
      .select(['id', 'deleted_at'])
      .where('conversation_id', '=', row.conversation_id);
    const found = await (row.parent_id === null
      ? children.where('parent_id', 'is', null)
      : children.where('parent_id', '=', row.parent_id)
    )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    byParent.set(
      row.parent_id,
      found.map((child) => ({ id: child.id, deleted: child.deleted_at !== null })),
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
