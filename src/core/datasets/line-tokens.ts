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
 * The size of a line (`text`, its JSON; `bytes`, their UTF-8 length) against the token limit.
 *
 * @example lineSize(text, Buffer.byteLength(text), 65_536, counter) // { bytes: 20480, tokens: null }
 */
export function lineSize(
  text: string,
  bytes: number,
  maxTokens: number,
  counter: LineTokenCounter,
): LineSize {
  // Every string of the value is in the JSON (escapes only add bytes), and every token is at least a byte.
  return { bytes, tokens: bytes <= maxTokens ? null : counter.count(JSON.parse(text)) };
}

/** Sampled lines kept for counting at the end, at most this many bytes (a few hundred typical lines). */
const DEFERRED_AT_MOST_BYTES = 4 * 1024 * 1024;

/**
 * The tokens of the lines written. With `countEvery` 1 every line is counted as it comes and the total is
 * exact. With N, the first written line and every Nth after it are the sample: their texts are kept
 * (at most 4 MiB: past that every other one is let go and the stride doubles) and counted at `finish`,
 * and the other lines' tokens are estimated from their bytes at the sample's tokens per byte (a ratio
 * estimate: lines of one export tokenize alike, so a few hundred counted lines put the total within a
 * fraction of a percent). Counting at the end keeps the tokenizer's tables (about 75 MiB) out of memory
 * while the records are read, unless a line long enough to need a count for the limit loads them first;
 * lines counted for the limit count exactly in either mode. Which lines are sampled depends only on their
 * order in the file, so an export gives the same total every time.
 */
export class TokenTally {
  readonly #counter: LineTokenCounter;
  readonly #exact: boolean;
  #stride: number;
  #lines = 0;
  #exactTokens = 0;
  #uncountedBytes = 0;
  #sampleTokens = 0;
  #sampleBytes = 0;
  #deferred: { index: number; text: string; bytes: number }[] = [];
  #deferredBytes = 0;

  constructor(countEvery: number, counter: LineTokenCounter) {
    this.#stride = Math.max(1, Math.floor(countEvery));
    this.#exact = this.#stride === 1;
    this.#counter = counter;
  }

  /** A line written (`text` its JSON). Its tokens, if counted now. */
  add(size: LineSize, text: string): number | null {
    const index = this.#lines++;
    const tokens = size.tokens ?? (this.#exact ? this.#counter.count(JSON.parse(text)) : null);
    if (tokens !== null) {
      this.#exactTokens += tokens;
      return tokens;
    }
    this.#uncountedBytes += size.bytes;
    if (index % this.#stride === 0) {
      this.#deferred.push({ index, text, bytes: size.bytes });
      this.#deferredBytes += size.bytes;
      while (this.#deferredBytes > DEFERRED_AT_MOST_BYTES && this.#deferred.length > 1) this.#thin();
    }
    return null;
  }

  /** Counts the sample kept: the total is final after this. */
  finish(): void {
    for (const line of this.#deferred) {
      const tokens = this.#counter.count(JSON.parse(line.text));
      this.#sampleTokens += tokens;
      this.#sampleBytes += line.bytes;
      this.#exactTokens += tokens;
      this.#uncountedBytes -= line.bytes;
    }
    this.#deferred = [];
    this.#deferredBytes = 0;
  }

  /** Whether `total` holds an estimated part. */
  get estimated(): boolean {
    return this.#uncountedBytes > 0;
  }

  /** The total so far: lines not counted yet are left out until `finish`. */
  get total(): number {
    if (this.#uncountedBytes === 0 || this.#sampleBytes === 0) return this.#exactTokens;
    return this.#exactTokens + Math.round((this.#uncountedBytes * this.#sampleTokens) / this.#sampleBytes);
  }

  #thin(): void {
    this.#stride *= 2;
    this.#deferred = this.#deferred.filter((line) => line.index % this.#stride === 0);
    this.#deferredBytes = this.#deferred.reduce((sum, line) => sum + line.bytes, 0);
  }
}
