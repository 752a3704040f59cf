/**
 * The tokens of a line (issue 9: the token limit and the summary's count): o200k tokens of every string in
 * it, the texts a trainer tokenizes, without the JSON's keys and quotes (which no trainer feeds the model;
 * a chat template adds its own few tokens per message instead). Strings repeated on every line (the tools'
 * descriptions and schemas) are counted once and remembered.
 *
 * Counting is slow (about 30 MB of text a second, more than an export's whole remaining work), and mostly
 * not needed: an o200k token is at least one UTF-8 byte, so a line whose JSON is at most `maxTokens` bytes
 * cannot be over the limit. Only longer lines are counted to decide; the summary's total is counted exactly
 * on every line, or for a large export on one written line in N and estimated for the rest (TokenTally).
 */
import { countTokens } from '../token-count.ts';

/** Strings at least this long are remembered; short ones cost less to count than to look up. */
const REMEMBER_FROM = 64;
/** Remembered strings before the memory is cleared (a bound, so a long export's memory stays flat). */
const REMEMBER_AT_MOST = 2_000;

export class LineTokenCounter {
  #known = new Map<string, number>();

  /** @example new LineTokenCounter().count({ messages: [{ role: 'user', content: 'Hi' }] }) // 2 */
  count(value: unknown): number {
    if (typeof value === 'string') return this.#text(value);
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + this.count(item), 0);
    if (value !== null && typeof value === 'object') {
      let sum = 0;
      for (const item of Object.values(value)) sum += this.count(item);
      return sum;
    }
    return 0;
  }

  #text(text: string): number {
    if (text.length < REMEMBER_FROM) return countTokens(text);
    const known = this.#known.get(text);
    if (known !== undefined) return known;
    const tokens = countTokens(text);
    if (this.#known.size >= REMEMBER_AT_MOST) this.#known.clear();
    this.#known.set(text, tokens);
    return tokens;
  }
}

/** A line's size against the token limit: its JSON's UTF-8 bytes, and its tokens when they were counted. */
export interface LineSize {
  bytes: number;
  /** Exact o200k tokens; null when the bytes alone showed the line within the limit. */
  tokens: number | null;
}

/**
 * @example lineSize(value, JSON.stringify(value), 65_536, counter) // { bytes: 20480, tokens: null }
 */
export function lineSize(
  value: unknown,
  text: string,
  maxTokens: number,
  counter: LineTokenCounter,
): LineSize {
  const bytes = Buffer.byteLength(text, 'utf8');
  // Every string of the value is in the JSON (escapes only add bytes), and every token is at least a byte.
  return { bytes, tokens: bytes <= maxTokens ? null : counter.count(value) };
}

/**
 * The tokens of the lines written. With `countEvery` 1 every line is counted and the total is exact; with N,
 * the first written line and every Nth after it are counted, and the others' tokens are estimated from
 * their bytes at the counted lines' tokens per byte (a ratio estimate: lines of one export tokenize alike,
 * so a few thousand counted lines put the total within a fraction of a percent). Lines counted to decide
 * the limit count exactly in either case. Which lines are counted depends only on their order in the file,
 * so an export gives the same total every time.
 */
export class TokenTally {
  readonly #countEvery: number;
  readonly #counter: LineTokenCounter;
  #lines = 0;
  #exactTokens = 0;
  #uncountedBytes = 0;
  #sampleTokens = 0;
  #sampleBytes = 0;

  constructor(countEvery: number, counter: LineTokenCounter) {
    this.#countEvery = Math.max(1, Math.floor(countEvery));
    this.#counter = counter;
  }

  /** A line written; `value` gives its JSON value when it has to be counted. Its tokens, if counted. */
  add(size: LineSize, value: () => unknown): number | null {
    const sampled = this.#lines % this.#countEvery === 0;
    this.#lines += 1;
    const tokens = size.tokens ?? (sampled ? this.#counter.count(value()) : null);
    if (tokens === null) {
      this.#uncountedBytes += size.bytes;
      return null;
    }
    this.#exactTokens += tokens;
    if (sampled) {
      this.#sampleTokens += tokens;
      this.#sampleBytes += size.bytes;
    }
    return tokens;
  }

  /** Whether `total` holds an estimated part. */
  get estimated(): boolean {
    return this.#uncountedBytes > 0;
  }

  get total(): number {
    if (this.#uncountedBytes === 0 || this.#sampleBytes === 0) return this.#exactTokens;
    return this.#exactTokens + Math.round((this.#uncountedBytes * this.#sampleTokens) / this.#sampleBytes);
  }
}
