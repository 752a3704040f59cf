/**
 * Full-text search on PostgreSQL, answering as search.ts does on SQLite (issue 10): every typed word must
 * match, each as a prefix; tombstoned messages and conversations are left out; matched terms come back
 * wrapped in «…». What a person types is only ever words, never query syntax (`&`, `|`, `!`, `:*` and quotes
 * are dropped), so no input can be a syntax error, the same rule as `toMatchExpression` for FTS5.
 *
 * The index is search_documents.document, a tsvector a trigger computes from the text with `mp_search`, the
 * 'simple' configuration after unaccent (postgres-migrations.ts, version 2); a text past a tsvector's 1 MB
 * is indexed from its start. Differences from FTS5 worth knowing: PostgreSQL's parser
 * keeps some compound tokens whole (an e-mail address, a host name, a path), which a prefix of the whole
 * still matches; ranking is ts_rank, not bm25.
 */
import { type Kysely, sql } from 'kysely';
import type { ConversationSummary } from '../../core/domain.ts';
import { searchWords } from '../../core/search-words.ts';
import type { MessageHit, SearchResults } from '../search.ts';
import type { StoreTables } from './store-tables.ts';

/**
 * A `to_tsquery` expression of prefix terms joined by AND, or '' when the text holds no word.
 *
 * @example
 * toTsQuery("hel wor!") // "'hel':* & 'wor':*"
 * toTsQuery("a|b & !c") // "'a':* & 'b':* & 'c':*"
 */
export function toTsQuery(text: string): string {
  return searchWords(text)
    .map((term) => `'${term}':*`)
    .join(' & ');
}

/** Conversations by title and description, and messages by their current revision's text. */
export async function searchPostgres(
  db: Kysely<StoreTables>,
  text: string,
  limit = 50,
): Promise<SearchResults> {
  const expression = toTsQuery(text);
  if (expression === '') return { conversations: [], messages: [] };
  const query = sql`to_tsquery('mp_search', ${expression})`;
  const conversations = await sql<ConversationSummary>`
    SELECT c.id, c.title, c.description, c.updated_at AS "updatedAt", c.message_count AS "messageCount"
      FROM search_documents d
      JOIN conversations c ON c.id = d.ref_id
      WHERE d.document @@ ${query} AND d.kind = 'conversation' AND c.deleted_at IS NULL
      ORDER BY ts_rank(d.document, ${query}) DESC, d.id
      LIMIT ${limit}`.execute(db);
  const messages = await sql<MessageHit>`
    SELECT m.id, m.conversation_id AS "conversationId", c.title AS "conversationTitle", m.role, m.author,
        ts_headline('mp_search', d.text, ${query},
          'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=…')
          AS snippet
      FROM search_documents d
      JOIN messages m ON m.id = d.ref_id
      JOIN conversations c ON c.id = m.conversation_id
      WHERE d.document @@ ${query} AND d.kind = 'message' AND m.deleted_at IS NULL AND c.deleted_at IS NULL
      ORDER BY ts_rank(d.document, ${query}) DESC, d.id
      LIMIT ${limit}`.execute(db);
  return { conversations: conversations.rows, messages: messages.rows };
}

/**
 * Puts one document's text into the index (the counterpart of SearchIndex's replace on SQLite): one upsert,
 * keyed like SQLite's search_documents by (kind, ref_id).
 */
export async function indexDocumentPostgres(
  // biome-ignore lint/suspicious/noExplicitAny: search_documents is engine-specific, outside StoreTables.
  db: Kysely<any>,
  document: { kind: 'conversation' | 'message'; refId: string; conversationId: string; text: string },
): Promise<void> {
  await sql`
    INSERT INTO search_documents (kind, ref_id, conversation_id, text)
      VALUES (${document.kind}, ${document.refId}, ${document.conversationId}, ${document.text})
      ON CONFLICT (kind, ref_id) DO UPDATE SET text = EXCLUDED.text`.execute(db);
}
