import type { Message } from '../core/domain.ts';
import { InvalidRequestError, NotFoundError } from '../core/errors.ts';
import type { ConversationRepository } from './conversations.ts';
import type { SqliteDatabase } from './open-database.ts';
import { countPath, type PathStats } from './path-stats.ts';
import { distanceUpTo, pathWindowRows, siblingIdsOf } from './path-window.ts';
import { prepared } from './prepared.ts';
import { CURRENT_REVISION_JOIN, MESSAGE_COLUMNS, type MessageRow, toMessage } from './rows.ts';

export interface PathWindowOptions {
  /** The window ends just above this message (the oldest one already shown); default: at the leaf. */
  before?: string;
  /** Extend the window up to this message, plus `limit` more above it (jumping to an old message). */
  through?: string;
  limit: number;
  includeDeleted?: boolean;
}

export interface PathWindow {
  /** Oldest first. */
  messages: Message[];
  /** Whether older messages lie above the window. */
  hasOlder: boolean;
}

/** Reading a conversation's current path: whole (for the model's context), in windows (for the page), totals. */
export class PathReader {
  readonly #db: SqliteDatabase;
  readonly #conversations: ConversationRepository;

  constructor(db: SqliteDatabase, conversations: ConversationRepository) {
    this.#db = db;
    this.#conversations = conversations;
  }

  /** The messages from the root to the current leaf, oldest first: grows with the path, for whole-path needs. */
  path(conversationId: string, options: { includeDeleted?: boolean } = {}): Message[] {
    const conversation = this.#conversations.get(conversationId);
    if (conversation.currentLeafId === null) return [];
    const rows = prepared<[string], MessageRow>(
      this.#db,
      `WITH RECURSIVE path(id, depth) AS (
           SELECT ?, 0
           UNION ALL
           SELECT m.parent_id, p.depth + 1 FROM messages m JOIN path p ON m.id = p.id WHERE m.parent_id IS NOT NULL
         )
         SELECT ${MESSAGE_COLUMNS} FROM path p JOIN messages m ON m.id = p.id ${CURRENT_REVISION_JOIN}
         ORDER BY p.depth DESC`,
    ).all(conversation.currentLeafId);
    const siblings = this.#siblingMap(conversationId);
    return rows
      .filter((row) => options.includeDeleted || row.deleted_at === null)
      .map((row) => {
        const family = siblings.get(row.parent_id)?.filter(liveOr(row.id)) ?? [];
        return toMessage(row, family.length > 0 ? family.map((sibling) => sibling.id) : [row.id]);
      });
  }

  /**
   * The `limit` newest messages above `before` (or ending at the leaf); with `through`, every message from
   * there up to that one plus `limit` more. Costs the window, not the path (except `through`'s walk).
   */
  window(conversationId: string, options: PathWindowOptions): PathWindow {
    const conversation = this.#conversations.get(conversationId);
    const includeDeleted = options.includeDeleted ?? false;
    let startId = conversation.currentLeafId;
    if (options.before !== undefined) {
      const before = prepared<[string], { conversation_id: string; parent_id: string | null }>(
        this.#db,
        'SELECT conversation_id, parent_id FROM messages WHERE id = ?',
      ).get(options.before);
      if (!before) throw new NotFoundError('message', options.before);
      if (before.conversation_id !== conversationId) {
        throw new InvalidRequestError(`message ${options.before} belongs to another conversation`, 'before');
      }
      startId = before.parent_id;
    }
    if (startId === null) return { messages: [], hasOlder: false };
    let limit = Math.max(0, options.limit);
    if (options.through !== undefined) {
      const distance = distanceUpTo(this.#db, { startId, targetId: options.through, includeDeleted });
      if (distance === null) throw new NotFoundError('message above this window', options.through);
      limit += distance;
    }
    const { rows, hasOlder } = pathWindowRows(this.#db, { startId, limit, includeDeleted });
    const siblings = siblingIdsOf(this.#db, rows);
    return { messages: rows.map((row) => toMessage(row, siblings.get(row.id))), hasOlder };
  }

  /**
   * Totals along the current path: the stored ones while they hold, else counted (a walk of the whole
   * path, once after a change off the leaf) and stored for the next read. Null for an empty conversation.
   */
  stats(conversationId: string): PathStats | null {
    const conversation = this.#conversations.get(conversationId);
    if (conversation.currentLeafId === null) return null;
    const stored = this.#conversations.pathStats(conversationId);
    if (stored !== null) return stored;
    const counted = countPath(this.#db, conversation.currentLeafId);
    this.#conversations.setPathStats(conversationId, counted);
    return counted;
  }

  /** parent id → children ids (with deletion marks), for a whole conversation in one query. */
  #siblingMap(conversationId: string): Map<string | null, { id: string; deleted: boolean }[]> {
    const rows = prepared<[string], { id: string; parent_id: string | null; deleted_at: string | null }>(
      this.#db,
      'SELECT id, parent_id, deleted_at FROM messages WHERE conversation_id = ? ORDER BY created_at, id',
    ).all(conversationId);
    const map = new Map<string | null, { id: string; deleted: boolean }[]>();
    for (const row of rows) {
      const list = map.get(row.parent_id) ?? [];
      list.push({ id: row.id, deleted: row.deleted_at !== null });
      map.set(row.parent_id, list);
    }
    return map;
  }
}

function liveOr(selfId: string) {
  return (sibling: { id: string; deleted: boolean }) => !sibling.deleted || sibling.id === selfId;
}
