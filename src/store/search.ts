import type { ConversationSummary, Role } from '../core/domain.ts';
import { searchWords } from '../core/search-words.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';
import { SEARCH_INDEX_DELAY_MS, SearchQueue } from './search-queue.ts';
import { transaction } from './sqlite.ts';

/** Messages one background batch indexes; a larger queue (after an import) is taken in several turns. */
const BATCH = 500;

export interface MessageHit {
  id: string;
  conversationId: string;
  conversationTitle: string;
  role: Role;
  author: string;
  /** Text around the match; matched terms are wrapped in «…». */
  snippet: string;
}

export interface SearchResults {
  conversations: ConversationSummary[];
  messages: MessageHit[];
}

/**
 * FTS5 index over message content (current revision) and conversation titles and descriptions. Titles are
 * indexed in the transaction that changes them; messages go through a queue (search-queue.ts) and are
 * indexed in batches, and a search drains the queue first, so it finds every message already written.
 */
export class SearchIndex {
  readonly #db: SqliteDatabase;
  readonly #queue: SearchQueue;

  constructor(db: SqliteDatabase, options: { delayMs?: number } = {}) {
    this.#db = db;
    this.#queue = new SearchQueue(
      db,
      () => this.#drainInBackground(),
      options.delayMs ?? SEARCH_INDEX_DELAY_MS,
    );
    // What an earlier process queued and did not index (it crashed, or closed first) is taken soon after open.
    if (this.#queue.pending()) this.#queue.schedule();
  }

  indexConversation(id: string, title: string, description: string): void {
    this.#replace('conversation', id, id, `${title} ${description}`);
  }

  /**
   * Marks a message whose text changed (a new message, a new revision, a copy): the index will hold its
   * current revision by the next search. Tombstones need nothing: the search leaves them out when it reads.
   */
  queueMessage(id: string): void {
    this.#queue.add(id);
  }

  /**
   * Indexes queued messages (up to `limit`) in one transaction, each with its current committed revision,
   * and takes them off the queue. Returns how many it took.
   */
  flush(limit: number = Number.MAX_SAFE_INTEGER): number {
    return transaction(this.#db, () => {
      const ids = this.#queue.take(limit);
      for (const id of ids) {
        const row = prepared<[string], { conversationId: string; content: string | null }>(
          this.#db,
          `SELECT m.conversation_id AS conversationId, r.content FROM messages m
             LEFT JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count
             WHERE m.id = ?`,
        ).get(id);
        // A draft still streaming has no revision yet; finishing it queues the message again.
        if (row !== undefined && row.content !== null) {
          this.#replace('message', id, row.conversationId, row.content);
        }
        this.#queue.remove(id);
      }
      return ids.length;
    });
  }

  /** Stops the background batch; queued messages stay queued for the next open. */
  close(): void {
    this.#queue.close();
  }

  #drainInBackground(): void {
    try {
      if (this.flush(BATCH) === BATCH) this.#queue.schedule(0);
    } catch {
      // Busy with another process past busy_timeout, or closed under us: the queue is still there, and
      // the next batch, search or open drains it.
      if (this.#db.isOpen) this.#queue.schedule();
    }
  }

  #replace(kind: string, refId: string, conversationId: string, text: string): void {
    const existing = prepared<[string, string], { id: number }>(
      this.#db,
      'SELECT id FROM search_documents WHERE kind = ? AND ref_id = ?',
    ).get(kind, refId);
    if (existing) {
      prepared(this.#db, 'UPDATE search_index SET text = ? WHERE rowid = ?').run(text, existing.id);
      return;
    }
    const { lastInsertRowid } = prepared(
      this.#db,
      'INSERT INTO search_documents (kind, ref_id, conversation_id) VALUES (?, ?, ?)',
    ).run(kind, refId, conversationId);
    prepared(this.#db, 'INSERT INTO search_index (rowid, text) VALUES (?, ?)').run(lastInsertRowid, text);
  }

  /** Every word of the query must match, each as a prefix; tombstoned things are left out. */
  search(query: string, limit = 50): SearchResults {
    const match = toMatchExpression(query);
    if (match === '') return { conversations: [], messages: [] };
    if (this.#queue.pending()) this.flush();
    const conversations = prepared<[string, number], ConversationSummary>(
      this.#db,
      `SELECT c.id, c.title, c.description, c.updated_at AS updatedAt,
           c.message_count AS messageCount
         FROM search_index s
         JOIN search_documents d ON d.id = s.rowid
         JOIN conversations c ON c.id = d.ref_id
         WHERE search_index MATCH ? AND d.kind = 'conversation' AND c.deleted_at IS NULL
         ORDER BY s.rank LIMIT ?`,
    ).all(match, limit);
    const messages = prepared<[string, number], MessageHit>(
      this.#db,
      `SELECT m.id, m.conversation_id AS conversationId, c.title AS conversationTitle, m.role, m.author,
           snippet(search_index, 0, '«', '»', '…', 16) AS snippet
         FROM search_index s
         JOIN search_documents d ON d.id = s.rowid
         JOIN messages m ON m.id = d.ref_id
         JOIN conversations c ON c.id = m.conversation_id
         WHERE search_index MATCH ? AND d.kind = 'message' AND m.deleted_at IS NULL AND c.deleted_at IS NULL
         ORDER BY s.rank LIMIT ?`,
    ).all(match, limit);
    return { conversations, messages };
  }
}

/** Turns what a person typed into an FTS5 expression that cannot be a syntax error: quoted prefix terms. */
export function toMatchExpression(query: string): string {
  return searchWords(query)
    .map((term) => `"${term}"*`)
    .join(' ');
}
