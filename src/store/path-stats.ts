import { type Kysely, sql } from 'kysely';
import type { StoreTables } from './engines/store-tables.ts';
import type { MessageRow } from './rows.ts';

/**
 * Totals along a conversation's current path, for what the page shows without loading the path: how many
 * messages it holds, how many are sent to the model and their tokens (issue 7 item 9). Counting them means
 * walking the whole path, so the store keeps them beside the conversation: an append at the leaf adds to
 * them, the leaf's own changes adjust them, and any other change clears them until the next read counts
 * again.
 */
export interface PathStats {
  /** The leaf the totals were counted for; they hold for no other. */
  leafId: string;
  /** Live messages on the path. */
  messages: number;
  /** Tombstoned messages on the path (shown only when deleted messages are). */
  deleted: number;
  /** Live messages sent to the model. */
  included: number;
  /** Their tokens (each message's current revision). */
  includedTokens: number;
}

/** What one message adds to the totals. */
export interface PathContribution {
  deleted: boolean;
  included: boolean;
  tokenCount: number;
}

/** What a message's row (with its current revision's tokens) adds to the totals. */
export function rowContribution(row: MessageRow): PathContribution {
  return { deleted: row.deleted_at !== null, included: row.included === 1, tokenCount: row.token_count };
}

/**
 * The totals with one message added (`sign` 1) or taken away (-1).
 *
 * @example
 * withContribution(stats, { deleted: false, included: true, tokenCount: 12 }, 1).includedTokens; // +12
 */
export function withContribution(stats: PathStats, message: PathContribution, sign: 1 | -1): PathStats {
  const live = !message.deleted;
  const included = live && message.included;
  return {
    leafId: stats.leafId,
    messages: stats.messages + (live ? sign : 0),
    deleted: stats.deleted + (live ? 0 : sign),
    included: stats.included + (included ? sign : 0),
    includedTokens: stats.includedTokens + (included ? sign * message.tokenCount : 0),
  };
}

/**
 * Counts the totals by walking from `leafId` to the root: the one read whose cost grows with the path.
 * Flags are summed as CASE … 1/0 (PostgreSQL has no SUM of a boolean), and the sums are BIGINT there, which
 * the engine reads back as a number.
 */
export async function countPath(db: Kysely<StoreTables>, leafId: string): Promise<PathStats> {
  const { rows } = await sql<Omit<PathStats, 'leafId'>>`
    WITH RECURSIVE path(id, parent_id) AS (
      SELECT id, parent_id FROM messages WHERE id = ${leafId}
      UNION ALL
      SELECT m.id, m.parent_id FROM messages m JOIN path p ON m.id = p.parent_id
    )
    SELECT
      COALESCE(SUM(CASE WHEN m.deleted_at IS NULL THEN 1 ELSE 0 END), 0) AS messages,
      COALESCE(SUM(CASE WHEN m.deleted_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deleted,
      COALESCE(SUM(CASE WHEN m.deleted_at IS NULL AND m.included = 1 THEN 1 ELSE 0 END), 0) AS included,
      COALESCE(SUM(CASE WHEN m.deleted_at IS NULL AND m.included = 1 THEN r.token_count ELSE 0 END), 0)
        AS "includedTokens"
    FROM path p JOIN messages m ON m.id = p.id
    LEFT JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count`.execute(db);
  const row = rows[0];
  return {
    leafId,
    messages: row?.messages ?? 0,
    deleted: row?.deleted ?? 0,
    included: row?.included ?? 0,
    includedTokens: row?.includedTokens ?? 0,
  };
}

export const EMPTY_PATH_STATS: Omit<PathStats, 'leafId'> = {
  messages: 0,
  deleted: 0,
  included: 0,
  includedTokens: 0,
};
