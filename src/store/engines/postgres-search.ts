/**
 * Full-text search on PostgreSQL, answering as sqlite-search.ts does on SQLite (issue 10): every typed word must
 * match, each as a prefix; tombstoned messages and conversations are left out; matched terms come back
 * wrapped in «…». What a person types is only ever words, never query syntax (`&`, `|`, `!`, `:*` and quotes
 * are dropped), so no input can be a syntax error, the same rule as `toMatchExpression` for FTS5.
 *
 * The index is search_documents.document, a tsvector a trigger computes from the text with `mp_search`, the
 * 'simple' configuration after unaccent (postgres-migrations.ts, version 2); a text past a tsvector's 1 MB
 * is indexed from its start. The parser sees the text with its punctuation and symbols made separators
 * (`mp_search_separated`, version 9), so a file path, a URL, an e-mail address, a host name or a decimal
 * number is several words, as FTS5's unicode61 makes it (`search` finds src/store/search.ts, `14` finds
 * 3.14). Differences from FTS5 worth knowing: ranking is ts_rank, not bm25; the snippet is ts_headline's one
 * fragment (up to 16 words), with '…' added where it cuts the text, as FTS5's snippet has; in a database
 * created with the C locale, a symbol outside the class version 9 lists (an emoji, a currency sign) joins
 * the letters beside it into one word, where FTS5 may split there.
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
 * A `to_tsquery` expression of prefix terms joined by AND, or '' when the text holds no word. A word with
 * underscores is a phrase whose last part is a prefix, as FTS5 reads the quoted `"snake_ca"*`: the index
 * splits at the underscore on both engines, and to_tsquery would otherwise make every part a prefix.
 *
 * @example
 * toTsQuery("hel wor!") // "'hel':* & 'wor':*"
 * toTsQuery("a|b & !c") // "'a':* & 'b':* & 'c':*"
 * toTsQuery("snake_ca") // "'snake' <-> 'ca':*"
 */
export function toTsQuery(text: string): string {
  return searchWords(text)
    .map((word) => word.split('_').filter((part) => part !== ''))
    .filter((parts) => parts.length > 0)
    .map((parts) =>
      parts.map((part, index) => `'${part}'${index === parts.length - 1 ? ':*' : ''}`).join(' <-> '),
    )
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
  // The headline is made for the rows kept only (the inner LIMIT), since ts_headline reads the whole text.
  // It parses the text the index parsed, punctuation and symbols as spaces (version 9), so `search` is
  // marked inside src/store/search.ts; where it sits in that copy gives the same stretch of the text as
  // written (the copy has a space for each character it replaced, so offsets agree), which `withMarks` puts
  // the marks into, and tells whether it was cut, which FTS5's snippet marks with '…'. The copy holds no
  // « or » of its own (both are in the class), so every one in the headline is a mark. Each OFFSET 0 keeps
  // its step one computation per row: without it PostgreSQL folds the steps into the columns that use them,
  // and runs ts_headline and the regular expression once for each use.
  const messages = await sql<
    Omit<MessageHit, 'snippet'> & { headline: string; original: string | null; before: number; after: number }
  >`
    SELECT h.id, h."conversationId", h."conversationTitle", h.role, h.author, t.headline,
        CASE WHEN p.at > 0 THEN substr(h.text, p.at, length(u.plain)) END AS original,
        CASE WHEN p.at > 1 THEN 1 ELSE 0 END AS before,
        CASE WHEN p.at > 0 AND p.at + length(u.plain) <= length(h.text) THEN 1 ELSE 0 END AS after
      FROM (
        SELECT m.id, m.conversation_id AS "conversationId", c.title AS "conversationTitle", m.role, m.author,
            d.text, d.id AS document, ts_rank(d.document, ${query}) AS rank
          FROM search_documents d
          JOIN messages m ON m.id = d.ref_id
          JOIN conversations c ON c.id = m.conversation_id
          WHERE d.document @@ ${query} AND d.kind = 'message' AND m.deleted_at IS NULL AND c.deleted_at IS NULL
            ${visible}
          ORDER BY rank DESC, d.id
          LIMIT ${limit}
      ) h
      CROSS JOIN LATERAL (SELECT mp_search_separated(h.text, ' ') AS copy OFFSET 0) s
      CROSS JOIN LATERAL (
        SELECT ts_headline('mp_search', s.copy, ${query},
          'StartSel=«, StopSel=», MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=…')
          AS headline
          OFFSET 0
      ) t
      CROSS JOIN LATERAL (SELECT replace(replace(t.headline, '«', ''), '»', '') AS plain OFFSET 0) u
      CROSS JOIN LATERAL (SELECT strpos(s.copy, u.plain) AS at OFFSET 0) p
      ORDER BY h.rank DESC, h.document`.execute(db);
  return {
    conversations: conversations.rows,
    messages: messages.rows.map(({ headline, original, before, after, ...hit }) => ({
      ...hit,
      snippet: `${before === 1 ? '…' : ''}${withMarks(headline, original)}${after === 1 ? '…' : ''}`,
    })),
  };
}

/**
 * The headline's «…» marks put into the stretch of the original text it shows (the headline has a space
 * where the original has punctuation, one character for one). Characters are code points, as PostgreSQL's
 * offsets are. Without the stretch (never seen: the headline is cut from the copy), the headline as it is.
 *
 * @example
 * withMarks('src store «search» ts', 'src/store/search.ts') // 'src/store/«search».ts'
 */
export function withMarks(headline: string, original: string | null): string {
  if (original === null) return headline;
  const source = Array.from(original);
  let at = 0;
  let marked = '';
  for (const char of headline) {
    if (char === '«' || char === '»') marked += char;
    else marked += source[at++] ?? char;
  }
  return marked;
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
