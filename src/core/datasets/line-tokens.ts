/**
 * The tokens of a line (issue 9: the token limit and the summary's count): o200k tokens of every string in
 * it, the texts a trainer tokenizes, without the JSON's keys and quotes (which no trainer feeds the model;
 * a chat template adds its own few tokens per message instead). Strings repeated on every line (the tools'
 * descriptions and schemas) are counted once and remembered: tokenizing is most of an export's time.
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
