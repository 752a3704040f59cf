import type { ConversationSummary, Role } from '../core/domain.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

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

/** FTS5 index over message content (current revision) and conversation titles and descriptions. */
export class SearchIndex {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  indexConversation(id: string, title: string, description: string): void {
    this.#replace('conversation', id, id, `${title} ${description}`);
  }

  indexMessage(id: string, conversationId: string, content: string): void {
    this.#replace('message', id, conversationId, content);
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
    const conversations = prepared<[string, number], ConversationSummary>(
      this.#db,
      `SELECT c.id, c.title, c.description, c.updated_at AS updatedAt,
           (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id AND m.deleted_at IS NULL) AS messageCount
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
  const terms = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return terms
    .slice(0, 20)
    .map((term) => `"${term}"*`)
    .join(' ');
}
