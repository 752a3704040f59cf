import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

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
 */
export class SearchQueue {
  readonly #db: SqliteDatabase;
  readonly #delayMs: number;
  readonly #drain: () => void;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, drain: () => void, delayMs: number = SEARCH_INDEX_DELAY_MS) {
    this.#db = db;
    this.#drain = drain;
    this.#delayMs = delayMs;
  }

  /** Queues a message whose text changed; written in the caller's transaction, so it commits with it. */
  add(messageId: string): void {
    prepared(this.#db, 'INSERT OR IGNORE INTO search_queue (message_id) VALUES (?)').run(messageId);
    this.schedule();
  }

  /** Whether anything waits (asked of the database: another process may have queued it). */
  pending(): boolean {
    return prepared(this.#db, 'SELECT 1 FROM search_queue LIMIT 1').get() !== undefined;
  }

  /** Up to `limit` queued message ids, oldest id first. */
  take(limit: number): string[] {
    return prepared<[number], { id: string }>(
      this.#db,
      'SELECT message_id AS id FROM search_queue ORDER BY message_id LIMIT ?',
    )
      .all(limit)
      .map((row) => row.id);
  }

  remove(messageId: string): void {
    prepared(this.#db, 'DELETE FROM search_queue WHERE message_id = ?').run(messageId);
  }

  /** Drains after the delay unless a drain is already due. Timers do not keep the process alive. */
  schedule(delayMs: number = this.#delayMs): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) this.#drain();
    }, delayMs);
    this.#timer.unref();
  }

  /** Stops the timer; what is still queued stays in the table for the next open. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
