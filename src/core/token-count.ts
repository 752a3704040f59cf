import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Tokens in a text under the o200k encoding: exact for current OpenAI models, an estimate for others
 * (the UI labels it so). Very long texts are estimated by length so a huge paste cannot stall a request.
 */
export function countTokens(text: string): number {
  if (text.length > 2_000_000) return Math.ceil(text.length / 4);
  return countO200k(text);
}
