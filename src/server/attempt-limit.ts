/**
 * A fixed-window count of failed attempts at something public (the sign-in code exchange): past `limit` failures
 * in one window, every attempt is refused until the window ends. Guessing a code is hopeless anyway (an HMAC);
 * this bounds what a local process flooding the route costs us.
 */
export class AttemptLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #failures = 0;

  constructor(options: { limit: number; windowMs: number; now?: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  /** Milliseconds until attempts are allowed again; 0 when they are allowed now. */
  waitMs(): number {
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#failures = 0;
    }
    return this.#failures >= this.#limit ? this.#windowStart + this.#windowMs - now : 0;
  }

  recordFailure(): void {
    this.#failures++;
  }
}
