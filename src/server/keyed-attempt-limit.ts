/**
 * Failed attempts counted per key (a username, a client address), each key in its own fixed window
 * (attempt-limit.ts). A flood against one name or from one address is slowed without locking out everyone
 * else, as one server-wide count would. The map is bounded: keys whose window has ended are forgotten, and past
 * `maxKeys` the oldest keys go first, so a stream of made-up names cannot grow it without end.
 */
import { AttemptLimit } from './attempt-limit.ts';

export class KeyedAttemptLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxKeys: number;
  /** key → its limit and when its last failure was (insertion order = oldest first, for eviction). */
  readonly #keys = new Map<string, { limit: AttemptLimit; lastFailure: number }>();

  constructor(options: { limit: number; windowMs: number; now?: () => number; maxKeys?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    return this.#keys.get(key)?.limit.waitMs() ?? 0;
  }

  recordFailure(key: string): void {
    const now = this.#now();
    let entry = this.#keys.get(key);
    if (entry === undefined) {
      this.#prune(now);
      entry = {
        limit: new AttemptLimit({ limit: this.#limit, windowMs: this.#windowMs, now: this.#now }),
        lastFailure: now,
      };
      entry.limit.waitMs();
      this.#keys.set(key, entry);
    }
    entry.lastFailure = now;
    entry.limit.recordFailure();
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#keys) {
      if (now - entry.lastFailure >= this.#windowMs) this.#keys.delete(key);
    }
    while (this.#keys.size >= this.#maxKeys) {
      const oldest = this.#keys.keys().next();
      if (oldest.done === true) break;
      this.#keys.delete(oldest.value);
    }
  }

  /** How many keys are remembered (tests). */
  get size(): number {
    return this.#keys.size;
  }
}
