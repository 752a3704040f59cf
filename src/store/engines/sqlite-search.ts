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
import { visibleToAccount } from '../conversation-access.ts';
import type { MessageHit } from '../search.ts';
import type { SearchDocument, SearchEngine } from './search-engine.ts';
import type { StoreTables } from './store-tables.ts';

/** Documents one statement writes: 2 parameters each, far below SQLite's 32,766 per statement. */
const DOCUMENTS_PER_STATEMENT = 500;

export const sqliteSearch: SearchEngine = {
  async index(db, documents) {
    for (const kind of ['conversation', 'message'] as const) {
      const ofKind = documents.filter((document) => document.kind === kind);
      for (let start = 0; start < ofKind.length; start += DOCUMENTS_PER_STATEMENT) {
        await replace(db, kind, ofKind.slice(start, start + DOCUMENTS_PER_STATEMENT));
      }
    }
  },

  async search(db, text, limit, visibleTo) {
    const match = toMatchExpression(text);
    if (match === '') return { conversations: [], messages: [] };
    const visible = typeof visibleTo === 'string' ? sql`AND ${visibleToAccount('c', visibleTo)}` : sql``;
    const conversations = await sql<ConversationSummary>`
      SELECT c.id, c.title, c.description, c.updated_at AS "updatedAt", c.message_count AS "messageCount",
          c.owner_account_id AS "ownerAccountId", c.visibility
        FROM search_index s
        JOIN search_documents d ON d.id = s.rowid
        JOIN conversations c ON c.id = d.ref_id
        WHERE search_index MATCH ${match} AND d.kind = 'conversation' AND c.deleted_at IS NULL ${visible}
        ORDER BY s.rank, d.id LIMIT ${limit}`.execute(db);
    const messages = await sql<MessageHit>`
      SELECT m.id, m.conversation_id AS "conversationId", c.title AS "conversationTitle", m.role, m.author,
          snippet(search_index, 0, '«', '»', '…', 16) AS snippet
        FROM search_index s
        JOIN search_documents d ON d.id = s.rowid
        JOIN messages m ON m.id = d.ref_id
        JOIN conversations c ON c.id = m.conversation_id
        WHERE search_index MATCH ${match} AND d.kind = 'message' AND m.deleted_at IS NULL
          AND c.deleted_at IS NULL ${visible}
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

/**
 * Three statements for a whole batch, whatever its size (a statement through Kysely costs more than the
 * row it writes): the rowids the documents already have, new rows for the others, and the texts, where
 * FTS5's REPLACE swaps an existing rowid's text as an UPDATE would.
 */
async function replace(
  db: Kysely<StoreTables>,
  kind: SearchDocument['kind'],
  documents: readonly SearchDocument[],
): Promise<void> {
  if (documents.length === 0) return;
  const refIds = documents.map((document) => document.refId);
  const existing = await sql<{ id: number; refId: string }>`
    SELECT id, ref_id AS "refId" FROM search_documents
      WHERE kind = ${kind} AND ref_id IN (${sql.join(refIds)})`.execute(db);
  const rowids = new Map(existing.rows.map((row) => [row.refId, row.id]));
  const fresh = documents.filter((document) => !rowids.has(document.refId));
  if (fresh.length > 0) {
    // RETURNING gives rows in no promised order, hence the ref_id beside each rowid.
    const inserted = await sql<{ id: number; refId: string }>`
      INSERT INTO search_documents (kind, ref_id, conversation_id)
        VALUES ${sql.join(fresh.map((document) => sql`(${kind}, ${document.refId}, ${document.conversationId})`))}
        RETURNING id, ref_id AS "refId"`.execute(db);
    for (const row of inserted.rows) rowids.set(row.refId, row.id);
  }
  await sql`
    INSERT OR REPLACE INTO search_index (rowid, text)
      VALUES ${sql.join(documents.map((document) => sql`(${rowids.get(document.refId)!}, ${document.text})`))}`.execute(
    db,
  );
}
