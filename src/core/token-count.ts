type CountO200k = (text: string, options: { disallowedSpecial: Set<string> }) => number;

let countO200k: CountO200k | undefined;

/**
 * gpt-tokenizer's o200k tables, loaded on the first count: they cost about 75 MiB and 0.6 s to load, which a
 * command that never counts (an `mp export` whose lines are all well under its token limit, `mp doctor`)
 * should not pay. A synchronous require, so counting stays synchronous.
 */
function o200k(): CountO200k {
  if (countO200k === undefined) {
    const { createRequire } = process.getBuiltinModule('node:module');
    const require = createRequire(import.meta.url);
    countO200k = (require('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountO200k }).countTokens;
  }
  return countO200k;
}

/**
 * Loads the tables now: a server does it once it listens, so its first message does not wait 0.6 s for a
 * count (a command that may never count leaves them to the first count).
 */
export function loadTokenizer(): void {
  o200k();
}

/** Special tokens are ordinary text here: a person may paste `<|endoftext|>`, and the API tokenizes it as text. */
const SPECIAL_AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Tokens in a text under the o200k encoding: exact for current OpenAI models, an estimate for others
 * (the UI labels it so). Very long texts are estimated by length so a huge paste cannot stall a request.
 */
export function countTokens(text: string): number {
  if (text.length > 2_000_000) return Math.ceil(text.length / 4);
  return o200k()(text, SPECIAL_AS_TEXT);
}
