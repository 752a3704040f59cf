import { CompiledOnce } from './compiled-once.ts';
import type { StoreDatabase } from './store-database.ts';

/** How long a queued message may wait for the background batch (a search never waits: it drains first). */
export const SEARCH_INDEX_DELAY_MS = 200;

/**
 * Messages whose current text is not in the search index yet (issue 7 item 9). Writing a message into FTS5
 * costs ~9 pages per commit (a new segment, its bookkeeping, a second copy of the text, the document map),
 * half of what an append writes; the append instead adds one row here, in its own transaction, and the
 * index takes the queued messages in one batch shortly after. The queue is a table, so a crash loses
 * nothing: whoever opens the store next drains it.
 *
 * The timer only keeps batches small and off the request path; correctness never depends on it, since
 * `SearchIndex.search` drains the queue before it reads.
 *
 * Several processes on one PostgreSQL database (issue 10) share the queue, and an edit may commit while
 * another process's batch is indexing the same message. Two rules keep that edit from being lost: `add`
 * upserts (its no-op update locks the row until the edit commits, where DO NOTHING would leave it free),
 * and `take` locks what it takes and skips rows someone else holds. A row an edit holds is so left for a
 * later batch, which reads the edit once it committed; an edit that finds its row taken waits for that
 * batch to end and queues the message anew. A batch never waits for anyone, so none can deadlock. SQLite
 * needs neither: its write transactions run one at a time.
 */
export class SearchQueue {
  readonly #database: StoreDatabase;
  readonly #delayMs: number;
  readonly #drain: () => void;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(database: StoreDatabase, drain: () => void, delayMs: number = SEARCH_INDEX_DELAY_MS) {
    this.#database = database;
    this.#drain = drain;
    this.#delayMs = delayMs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a message whose text changed; written in the caller's transaction, so it commits with it. */
  async add(messageId: string): Promise<void> {
    await QUEUE_MESSAGE.execute(this.#database, messageId);
    this.schedule();
  }

  /** Whether anything waits (asked of the database: another process may have queued it). */
  async pending(): Promise<boolean> {
    const row = await this.#database.db
      .selectFrom('search_queue')
      .select('message_id')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Up to `limit` queued message ids, oldest id first, held (on PostgreSQL) until the caller's transaction
   * ends; rows another transaction holds are skipped (see the class comment).
   */
  async take(limit: number): Promise<string[]> {
    const rows = await this.#database.db
      .selectFrom('search_queue')
      .select('message_id')
      .orderBy('message_id')
      .limit(limit)
      .$if(this.#database.kind === 'postgres', (query) => query.forUpdate().skipLocked())
      .execute();
    return rows.map((row) => row.message_id);
  }

  async remove(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.#database.db.deleteFrom('search_queue').where('message_id', 'in', messageIds).execute();
  }

  /**
   * Drains after the delay unless a drain is already due. The timer is made outside the caller's
   * transaction, so the drain runs in its own rather than in one that has ended by then. Timers do not keep
   * the process alive.
   */
  schedule(delayMs: number = this.#delayMs): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = this.#database.detached(() =>
      setTimeout(() => {
        this.#timer = undefined;
        if (!this.#closed) this.#drain();
      }, delayMs),
    );
    this.#timer.unref();
  }

  /** Stops the timer; what is still queued stays in the table for the next open. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** On every append and edit: compiled once (compiled-once.ts). */
const QUEUE_MESSAGE = new CompiledOnce((db, messageId: string) =>
  db
    .insertInto('search_queue')
    .values({ message_id: messageId })
    .onConflict((conflict) =>
      conflict.column('message_id').doUpdateSet((row) => ({ message_id: row.ref('excluded.message_id') })),
    ),
);
