import type { ConversationSummary, Role } from '../core/domain.ts';
import { searchWords } from '../core/search-words.ts';
import { postgresSearch } from './engines/postgres-search.ts';
import type { SearchEngine } from './engines/search-engine.ts';
import { sqliteSearch } from './engines/sqlite-search.ts';
import { SEARCH_INDEX_DELAY_MS, SearchQueue } from './search-queue.ts';
import type { StoreDatabase } from './store-database.ts';

/**
 * Messages one background batch indexes; a larger queue (after an import) is taken in several turns. Also
 * the chunk a flush takes at a time, which keeps each statement's parameter list small on both engines.
 */
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
 * The full-text index over message content (current revision) and conversation titles and descriptions,
 * on either engine (engines/search-engine.ts says what each one does). Titles are indexed in the
 * transaction that changes them; messages go through a queue (search-queue.ts) and are indexed in batches,
 * and a search drains the queue first, so it finds every message already written.
 */
export class SearchIndex {
  readonly #database: StoreDatabase;
  readonly #engine: SearchEngine;
  readonly #queue: SearchQueue;
  /** The background batches in progress, if any (#drainOnce never rejects). */
  #draining: Promise<void> | undefined;

  constructor(database: StoreDatabase, options: { delayMs?: number } = {}) {
    this.#database = database;
    this.#engine = database.kind === 'postgres' ? postgresSearch : sqliteSearch;
    this.#queue = new SearchQueue(
      database,
      () => this.#drainInBackground(),
      options.delayMs ?? SEARCH_INDEX_DELAY_MS,
    );
  }

  /** What an earlier process queued and did not index (it crashed, or closed first) is taken soon after open. */
  async start(): Promise<void> {
    if (await this.#queue.pending()) this.#queue.schedule();
  }

  indexConversation(id: string, title: string, description: string): Promise<void> {
    return this.#database.atomic(() =>
      this.#engine.index(this.#database.db, [
        { kind: 'conversation', refId: id, conversationId: id, text: `${title} ${description}` },
      ]),
    );
  }

  /**
   * Marks a message whose text changed (a new message, a new revision, a copy): the index will hold its
   * current revision by the next search. Tombstones need nothing: the search leaves them out when it reads.
   */
  queueMessage(id: string): Promise<void> {
    return this.#queue.add(id);
  }

  /**
   * Indexes queued messages (up to `limit`) in one transaction, each with its current committed revision,
   * and takes them off the queue. Returns how many it took (on PostgreSQL, messages another transaction is
   * queueing right now are left for the next flush).
   */
  flush(limit: number = Number.MAX_SAFE_INTEGER): Promise<number> {
    return this.#database.atomic(async () => {
      let taken = 0;
      while (taken < limit) {
        const chunk = Math.min(BATCH, limit - taken);
        const ids = await this.#queue.take(chunk);
        await this.#indexMessages(ids);
        await this.#queue.remove(ids);
        taken += ids.length;
        if (ids.length < chunk) break;
      }
      return taken;
    });
  }

  /**
   * Every word of the query must match, each as a prefix; tombstoned things are left out. With
   * `visibleTo`, only what that account may see (its own conversations and the team's).
   */
  async search(
    query: string,
    limit = 50,
    options: { visibleTo?: string | null } = {},
  ): Promise<SearchResults> {
    if (searchWords(query).length === 0) return { conversations: [], messages: [] };
    // A background batch of this process holds the rows it took (on PostgreSQL a flush skips them), so a
    // search waits for it to commit, or it could miss a message this process has just written. Not inside
    // a transaction: on SQLite the batch would wait for that transaction's connection.
    if (!this.#database.inTransaction) await this.idle();
    if (await this.#queue.pending()) {
      await this.flush();
      // A batch its timer started while this flush ran may have taken rows first, which the flush then
      // skipped (PostgreSQL): its commit is waited for too (a CI run missed a message searched right after
      // it was written, with the batch's 200 ms timer firing mid-search on a slow machine).
      if (!this.#database.inTransaction) await this.idle();
    }
    return this.#engine.search(this.#database.db, query, limit, options.visibleTo ?? null);
  }

  /** Resolves once the background batch in progress, if any, has ended (a graceful close waits for it). */
  async idle(): Promise<void> {
    await this.#draining;
  }

  /** Stops the background batch; queued messages stay queued for the next open. */
  close(): void {
    this.#queue.close();
  }

  async #indexMessages(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // Read after `take` locked the queue rows, so on PostgreSQL this statement sees every edit that queued
    // one of them before (search-queue.ts).
    const rows = await this.#database.db
      .selectFrom('messages as m')
      .leftJoin('message_revisions as r', (join) =>
        join.onRef('r.message_id', '=', 'm.id').onRef('r.number', '=', 'm.revision_count'),
      )
      .select(['m.id', 'm.conversation_id', 'r.content'])
      .where('m.id', 'in', ids)
      .orderBy('m.id')
      .execute();
    // A draft still streaming has no revision yet; finishing it queues the message again.
    const documents = rows.flatMap((row) =>
      row.content === null
        ? []
        : [
            {
              kind: 'message' as const,
              refId: row.id,
              conversationId: row.conversation_id,
              text: row.content,
            },
          ],
    );
    await this.#engine.index(this.#database.db, documents);
  }

  #drainInBackground(): void {
    // A batch queued during a long one may start before it ends; `idle` waits for both.
    const running = Promise.all([this.#draining, this.#drainOnce()]).then(() => {
      if (this.#draining === running) this.#draining = undefined;
    });
    this.#draining = running;
  }

  async #drainOnce(): Promise<void> {
    try {
      if ((await this.flush(BATCH)) === BATCH) this.#queue.schedule(0);
    } catch {
      // Busy with another process past busy_timeout, a lost connection, or closed under us: the queue is
      // still there, and the next batch, search or open drains it.
      if (!this.#queue.closed) this.#queue.schedule();
    }
  }
}
