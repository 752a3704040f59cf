/**
 * Full-text search on PostgreSQL, answering as sqlite-search.ts does on SQLite (issue 10): every typed word must
 * match, each as a prefix; tombstoned messages and conversations are left out; matched terms come back
 * wrapped in «…». What a person types is only ever words, never query syntax (`&`, `|`, `!`, `:*` and quotes
 * are dropped), so no input can be a syntax error, the same rule as `toMatchExpression` for FTS5.
 *
 * The index is search_documents.document, a tsvector a trigger computes from the text with `mp_search`, the
 * 'simple' configuration after unaccent (postgres-migrations.ts, version 2); a text past a tsvector's 1 MB
 * is indexed from its start. Differences from FTS5 worth knowing: PostgreSQL's parser keeps some compound
 * tokens whole (an e-mail address, a host name, a file path, a URL's path, a decimal number), which only a
 * prefix of the whole matches (`src` finds src/store/search.ts, `search` does not; FTS5 splits at every
 * character that is not a letter or digit); ranking is ts_rank, not bm25; the snippet is ts_headline's one fragment (up to 16 words),
 * with '…' added where it cuts the text, as FTS5's snippet has.
 *
 * Functions take the executor to run on, the store's current one (StoreDatabase.db): the root database or
 * the transaction the caller is in.
 */
import { type Kysely, sql } from 'kysely';
import type { ConversationSummary } from '../../core/domain.ts';
import { searchWords } from '../../core/search-words.ts';
import { visibleToAccount } from '../conversation-access.ts';
import type { MessageHit, SearchResults } from '../search.ts';
import type { SearchDocument, SearchEngine } from './search-engine.ts';
import type { StoreTables } from './store-tables.ts';

/** Documents one upsert writes: 4 parameters each, far below PostgreSQL's 65,535 per statement. */
const DOCUMENTS_PER_STATEMENT = 500;

export const postgresSearch: SearchEngine = {
  async index(db, documents) {
    for (let start = 0; start < documents.length; start += DOCUMENTS_PER_STATEMENT) {
      await upsertDocuments(db, documents.slice(start, start + DOCUMENTS_PER_STATEMENT));
    }
  },
  search: (db, text, limit, visibleTo) => searchPostgres(db, text, limit, visibleTo),
};

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
  visibleTo: string | null = null,
): Promise<SearchResults> {
  const expression = toTsQuery(text);
  if (expression === '') return { conversations: [], messages: [] };
  const visible = typeof visibleTo === 'string' ? sql`AND ${visibleToAccount('c', visibleTo)}` : sql``;
  const query = sql`to_tsquery('mp_search', ${expression})`;
  const conversations = await sql<ConversationSummary>`
    SELECT c.id, c.title, c.description, c.updated_at AS "updatedAt", c.message_count AS "messageCount",
        c.owner_account_id AS "ownerAccountId", c.visibility
      FROM search_documents d
      JOIN conversations c ON c.id = d.ref_id
      WHERE d.document @@ ${query} AND d.kind = 'conversation' AND c.deleted_at IS NULL ${visible}
      ORDER BY ts_rank(d.document, ${query}) DESC, d.id
      LIMIT ${limit}`.execute(db);
  // The headline is made for the rows kept only (the inner LIMIT), since ts_headline reads the whole text;
  // where it sits in the text tells whether it was cut, which FTS5's snippet marks with '…'.
  const messages = await sql<MessageHit & { before: number; after: number }>`
    SELECT h.id, h."conversationId", h."conversationTitle", h.role, h.author, h.snippet,
        CASE WHEN p.at > 1 THEN 1 ELSE 0 END AS before,
        CASE WHEN p.at > 0 AND p.at + length(q.plain) <= length(h.text) THEN 1 ELSE 0 END AS after
      FROM (
        SELECT m.id, m.conversation_id AS "conversationId", c.title AS "conversationTitle", m.role, m.author,
            d.text, d.id AS document, ts_rank(d.document, ${query}) AS rank,
            ts_headline('mp_search', d.text, ${query},
              'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=…')
              AS snippet
          FROM search_documents d
          JOIN messages m ON m.id = d.ref_id
          JOIN conversations c ON c.id = m.conversation_id
          WHERE d.document @@ ${query} AND d.kind = 'message' AND m.deleted_at IS NULL AND c.deleted_at IS NULL
            ${visible}
          ORDER BY rank DESC, d.id
          LIMIT ${limit}
      ) h
      CROSS JOIN LATERAL (SELECT replace(replace(h.snippet, '«', ''), '»', '') AS plain) q
      CROSS JOIN LATERAL (SELECT strpos(h.text, q.plain) AS at) p
      ORDER BY h.rank DESC, h.document`.execute(db);
  return {
    conversations: conversations.rows,
    messages: messages.rows.map(({ before, after, ...hit }) => ({
      ...hit,
      snippet: `${before === 1 ? '…' : ''}${hit.snippet}${after === 1 ? '…' : ''}`,
    })),
  };
}

/**
 * Puts one document's text into the index (the counterpart of sqlite-search.ts's replace): one upsert,
 * keyed like SQLite's search_documents by (kind, ref_id). The trigger recomputes the tsvector.
 */
export async function indexDocumentPostgres(
  db: Kysely<StoreTables>,
  document: SearchDocument,
): Promise<void> {
  await upsertDocuments(db, [document]);
}

/** Many documents in one statement; they must be distinct, since one upsert cannot touch a row twice. */
async function upsertDocuments(db: Kysely<StoreTables>, documents: readonly SearchDocument[]): Promise<void> {
  if (documents.length === 0) return;
  const rows = documents.map(
    (document) => sql`(${document.kind}, ${document.refId}, ${document.conversationId}, ${document.text})`,
  );
  await sql`
    INSERT INTO search_documents (kind, ref_id, conversation_id, text)
      VALUES ${sql.join(rows)}
      ON CONFLICT (kind, ref_id) DO UPDATE SET text = EXCLUDED.text`.execute(db);
}
