import { describe, expect, it } from 'vitest';
import { CANNED_PHRASES, insertPhrase } from './canned-phrases.ts';

const [cut, linesRemoved, irrelevant] = CANNED_PHRASES;

describe('insertPhrase', () => {
  it('replaces the selected lines with how many were removed, keeping the line break after them', () => {
    const value = 'npm test\nline 1\nline 2\nline 3\ndone';
    const start = value.indexOf('line 1');
    const end = value.indexOf('done');
    expect(insertPhrase(value, start, end, linesRemoved!)).toEqual({
      value: 'npm test\n[… 3 lines removed …]\ndone',
      cursor: start + '[… 3 lines removed …]\n'.length,
    });
  });

  it('says one line in the singular, and inserts at the cursor when nothing is selected', () => {
    expect(insertPhrase('a\nb', 2, 3, linesRemoved!).value).toBe('a\n[… 1 line removed …]');
    expect(insertPhrase('output', 6, 6, cut!)).toEqual({ value: 'output[output cut]', cursor: 18 });
    expect(insertPhrase('xyz', 0, 3, irrelevant!).value).toBe('[irrelevant output removed]');
  });
});
