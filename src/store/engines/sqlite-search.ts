/**
 * Full-text search on SQLite: FTS5 (migrations.ts, version 2). search_documents maps each indexed thing to
 * its FTS rowid, so replacing a document is a keyed update rather than a scan of the (unindexed) FTS
 * columns; search_index holds the text, tokenized by unicode61 with diacritics removed. Ranking is bm25
 * (FTS5's `rank`), the snippet FTS5's own `snippet()`: up to 16 tokens, '…' where the text was cut.
 *
 * This is SQLite-only SQL (FTS5's MATCH, rowid, snippet), run as `sql` templates through the store's Kysely,
 * which the SQLite dialect passes through as written.
 */
import { type Kysely, sql } from 'kysely';
import type { ConversationSummary } from '../../core/domain.ts';
import { searchWords } from '../../core/search-words.ts';
import type { MessageHit } from '../search.ts';
import type { SearchDocument, SearchEngine } from './search-engine.ts';
import type { StoreTables } from './store-tables.ts';

export const sqliteSearch: SearchEngine = {
  async index(db, documents) {
    for (const document of documents) await replace(db, document);
  },

  async search(db, text, limit) {
    const match = toMatchExpression(text);
    if (match === '') return { conversations: [], messages: [] };
    const conversations = await sql<ConversationSummary>`
      SELECT c.id, c.title, c.description, c.updated_at AS "updatedAt", c.message_count AS "messageCount"
        FROM search_index s
        JOIN search_documents d ON d.id = s.rowid
        JOIN conversations c ON c.id = d.ref_id
        WHERE search_index MATCH ${match} AND d.kind = 'conversation' AND c.deleted_at IS NULL
        ORDER BY s.rank, d.id LIMIT ${limit}`.execute(db);
    const messages = await sql<MessageHit>`
      SELECT m.id, m.conversation_id AS "conversationId", c.title AS "conversationTitle", m.role, m.author,
          snippet(search_index, 0, '«', '»', '…', 16) AS snippet
        FROM search_index s
        JOIN search_documents d ON d.id = s.rowid
        JOIN messages m ON m.id = d.ref_id
        JOIN conversations c ON c.id = m.conversation_id
        WHERE search_index MATCH ${match} AND d.kind = 'message' AND m.deleted_at IS NULL
          AND c.deleted_at IS NULL
        ORDER BY s.rank, d.id LIMIT ${limit}`.execute(db);
    return { conversations: conversations.rows, messages: messages.rows };
  },
};

/** Turns what a person typed into an FTS5 expression that cannot be a syntax error: quoted prefix terms. */
export function toMatchExpression(query: string): string {
  return searchWords(query)
    .map((term) => `"${term}"*`)
    .join(' ');
}

async function replace(db: Kysely<StoreTables>, document: SearchDocument): Promise<void> {
  const existing = await sql<{ id: number }>`
    SELECT id FROM search_documents WHERE kind = ${document.kind} AND ref_id = ${document.refId}`.execute(db);
  const id = existing.rows[0]?.id;
  if (id !== undefined) {
    await sql`UPDATE search_index SET text = ${document.text} WHERE rowid = ${id}`.execute(db);
    return;
  }
  const inserted = await sql<{ id: number }>`
    INSERT INTO search_documents (kind, ref_id, conversation_id)
      VALUES (${document.kind}, ${document.refId}, ${document.conversationId})
      RETURNING id`.execute(db);
  await sql`INSERT INTO search_index (rowid, text) VALUES (${inserted.rows[0]!.id}, ${document.text})`.execute(
    db,
  );
}
