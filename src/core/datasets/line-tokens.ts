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

/** The sample is at most this many bytes of lines (a few hundred typical lines): past it, it is thinned. */
const SAMPLE_AT_MOST_BYTES = 4 * 1024 * 1024;

/**
 * The tokens of the lines written. With `countEvery` 1 every line is counted as it comes and the total is
 * exact. With N, the first written line and every Nth after it are the sample, counted as they come (at
 * most 4 MiB of lines: past that every other one is let go and the stride doubles), and the other lines'
 * tokens are estimated from their bytes at the sample's tokens per byte (a ratio estimate: lines of one
 * export tokenize alike, so a few hundred counted lines put the total within a fraction of a percent).
 * Lines counted for the limit count exactly in either mode. Which lines are sampled depends only on their
 * order in the file, so an export gives the same total every time.
 *
 * The first line loads the tokenizer's tables (about 75 MiB, half a second): counted as they come, the
 * sample costs an export nothing at its end, where nothing else would run beside it.
 */
export class TokenTally {
  readonly #counter: LineTokenCounter;
  readonly #exact: boolean;
  #stride: number;
  #lines = 0;
  #exactTokens = 0;
  #uncountedBytes = 0;
  #sample: { index: number; tokens: number; bytes: number }[] = [];
  #sampleBytes = 0;
  #sampleTokens = 0;

  constructor(countEvery: number, counter: LineTokenCounter) {
    this.#stride = Math.max(1, Math.floor(countEvery));
    this.#exact = this.#stride === 1;
    this.#counter = counter;
  }

  /** A line written (`text` its JSON). Its tokens, if counted exactly. */
  add(size: LineSize, text: string): number | null {
    const index = this.#lines++;
    const tokens = size.tokens ?? (this.#exact ? this.#counter.count(JSON.parse(text)) : null);
    if (tokens !== null) {
      this.#exactTokens += tokens;
      return tokens;
    }
    this.#uncountedBytes += size.bytes;
    if (index % this.#stride === 0) {
      const counted = this.#counter.count(JSON.parse(text));
      this.#sample.push({ index, tokens: counted, bytes: size.bytes });
      this.#sampleBytes += size.bytes;
      this.#sampleTokens += counted;
      while (this.#sampleBytes > SAMPLE_AT_MOST_BYTES && this.#sample.length > 1) this.#thin();
    }
    return null;
  }

  /** Whether `total` holds an estimated part. */
  get estimated(): boolean {
    return this.#uncountedBytes > 0;
  }

  /** The lines counted exactly, and the rest estimated at the sample's tokens per byte. */
  get total(): number {
    if (this.#uncountedBytes === 0 || this.#sampleBytes === 0) return this.#exactTokens;
    return this.#exactTokens + Math.round((this.#uncountedBytes * this.#sampleTokens) / this.#sampleBytes);
  }

  #thin(): void {
    this.#stride *= 2;
    this.#sample = this.#sample.filter((line) => line.index % this.#stride === 0);
    this.#sampleBytes = this.#sample.reduce((sum, line) => sum + line.bytes, 0);
    this.#sampleTokens = this.#sample.reduce((sum, line) => sum + line.tokens, 0);
  }
}
