import { describe, expect, it } from 'vitest';
import { countTokens } from './token-count.ts';

describe('countTokens', () => {
  it('counts o200k tokens', () => {
    expect(countTokens('Hello, world!')).toBe(4);
  });

  it('takes a special token a person pasted as ordinary text rather than throwing', () => {
    // gpt-tokenizer's default refuses special tokens; a message about tokenizers may well hold one.
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
    expect(countTokens('see <|im_start|> and <|endoftext|>')).toBeGreaterThan(4);
  });
});
