import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff.ts';

describe('wordDiff', () => {
  it('marks removed and added words and keeps the rest', () => {
    const parts = wordDiff('make a vector class', 'make a Vector3 class');
    expect(parts?.filter((part) => part.kind !== 'same')).toEqual([
      { text: 'vector', kind: 'removed' },
      { text: 'Vector3', kind: 'added' },
    ]);
    expect(parts?.map((part) => (part.kind === 'removed' ? '' : part.text)).join('')).toBe(
      'make a Vector3 class',
    );
  });

  it('keeps newlines as part of the text', () => {
    const parts = wordDiff('a\nb', 'a\nc');
    expect(parts?.map((part) => (part.kind === 'removed' ? '' : part.text)).join('')).toBe('a\nc');
  });
});
