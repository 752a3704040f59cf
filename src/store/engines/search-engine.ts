/**
 * The part of full-text search that differs per engine (issue 10): where a document's text goes and how a
 * query reads it back. SQLite keeps it in FTS5 (sqlite-search.ts), PostgreSQL in a tsvector column
 * (postgres-search.ts); SearchIndex (../search.ts) owns everything else (the queue, the batches, the
 * drain before a search) once, for both.
 *
 * Both answer alike: every typed word must match, each as a prefix; case and diacritics are folded;
 * tombstoned messages and conversations (and the messages of a tombstoned conversation) are left out;
 * matched terms come back wrapped in «…»; what a person typed is only ever words (search-words.ts), so no
 * input is a syntax error.
 */
import type { Kysely } from 'kysely';
import type { SearchResults } from '../search.ts';
import type { StoreTables } from './store-tables.ts';

/** One indexed thing: a conversation (its title and description) or a message (its current revision). */
export interface SearchDocument {
  kind: 'conversation' | 'message';
  refId: string;
  conversationId: string;
  text: string;
}

export interface SearchEngine {
  /**
   * Puts each document's text into the index, replacing what it held for the same (kind, refId). Runs in
   * the caller's transaction (`db` is the current executor); documents are distinct.
   */
  index(db: Kysely<StoreTables>, documents: readonly SearchDocument[]): Promise<void>;
  /**
   * Live conversations and messages matching every word of `text`, best first, at most `limit` of each.
   * With `visibleTo`, only in conversations that account may see (conversation-access.ts), filtered in the
   * query before its LIMIT.
   */
  search(
    db: Kysely<StoreTables>,
    text: string,
    limit: number,
    visibleTo?: string | null,
  ): Promise<SearchResults>;
}
