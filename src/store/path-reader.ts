import { sql } from 'kysely';
import type { Message } from '../core/domain.ts';
import { InvalidRequestError, NotFoundError } from '../core/errors.ts';
import type { ConversationRepository } from './conversations.ts';
import { countPath, type PathStats } from './path-stats.ts';
import { distanceUpTo, pathWindowRows, siblingIdsOf } from './path-window.ts';
import { CURRENT_REVISION_JOIN, MESSAGE_COLUMNS, type MessageRow, toMessage } from './rows.ts';
import type { StoreDatabase } from './store-database.ts';

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
  readonly #database: StoreDatabase;
  readonly #conversations: ConversationRepository;

  constructor(database: StoreDatabase, conversations: ConversationRepository) {
    this.#database = database;
    this.#conversations = conversations;
  }

  /** The messages from the root to the current leaf, oldest first: grows with the path, for whole-path needs. */
  async path(conversationId: string, options: { includeDeleted?: boolean } = {}): Promise<Message[]> {
    const conversation = await this.#conversations.get(conversationId);
    if (conversation.currentLeafId === null) return [];
    // The seed's id is cast: PostgreSQL cannot type a bare parameter in a SELECT list.
    const { rows } = await sql<MessageRow>`
      WITH RECURSIVE path(id, depth) AS (
        SELECT CAST(${conversation.currentLeafId} AS TEXT), 0
        UNION ALL
        SELECT m.parent_id, p.depth + 1 FROM messages m JOIN path p ON m.id = p.id WHERE m.parent_id IS NOT NULL
      )
      SELECT ${MESSAGE_COLUMNS} FROM path p JOIN messages m ON m.id = p.id ${CURRENT_REVISION_JOIN}
      ORDER BY p.depth DESC`.execute(this.#database.db);
    const siblings = await this.#siblingMap(conversationId);
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
  async window(conversationId: string, options: PathWindowOptions): Promise<PathWindow> {
    const conversation = await this.#conversations.get(conversationId);
    const includeDeleted = options.includeDeleted ?? false;
    let startId = conversation.currentLeafId;
    if (options.before !== undefined) {
      const before = await this.#database.db
        .selectFrom('messages')
        .select(['conversation_id', 'parent_id'])
        .where('id', '=', options.before)
        .executeTakeFirst();
      if (!before) throw new NotFoundError('message', options.before);
      if (before.conversation_id !== conversationId) {
        throw new InvalidRequestError(`message ${options.before} belongs to another conversation`, 'before');
      }
      startId = before.parent_id;
    }
    if (startId === null) return { messages: [], hasOlder: false };
    let limit = Math.max(0, options.limit);
    if (options.through !== undefined) {
      const distance = await distanceUpTo(this.#database.db, {
        startId,
        targetId: options.through,
        includeDeleted,
      });
      if (distance === null) throw new NotFoundError('message above this window', options.through);
      limit += distance;
    }
    const { rows, hasOlder } = await pathWindowRows(this.#database.db, { startId, limit, includeDeleted });
    const siblings = await siblingIdsOf(this.#database.db, rows);
    return { messages: rows.map((row) => toMessage(row, siblings.get(row.id))), hasOlder };
  }

  /**
   * Totals along the current path: the stored ones while they hold, else counted (a walk of the whole
   * path, once after a change off the leaf) and stored for the next read. Null for an empty conversation.
   */
  async stats(conversationId: string): Promise<PathStats | null> {
    const conversation = await this.#conversations.get(conversationId);
    if (conversation.currentLeafId === null) return null;
    const stored = await this.#conversations.pathStats(conversationId);
    if (stored !== null) return stored;
    const leafId = conversation.currentLeafId;
    // Counted and stored under the conversation's lock, so a change off the leaf (which clears the totals
    // under the same lock) cannot land between the count and the write and leave a stale total behind.
    return this.#database.atomic(async () => {
      await this.#database.lockConversation(conversationId);
      const counted = await countPath(this.#database.db, leafId);
      await this.#conversations.setPathStats(conversationId, counted);
      return counted;
    });
  }

  /** parent id → children ids (with deletion marks), for a whole conversation in one query. */
  async #siblingMap(conversationId: string): Promise<Map<string | null, { id: string; deleted: boolean }[]>> {
    const rows = await this.#database.db
      .selectFrom('messages')
      .select(['id', 'parent_id', 'deleted_at'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
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
