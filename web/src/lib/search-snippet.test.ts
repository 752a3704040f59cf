import { describe, expect, it } from 'vitest';
import { parseSnippet } from './search-snippet.ts';

describe('parseSnippet', () => {
  it('marks the text between guillemets', () => {
    expect(parseSnippet('a «Vector3» class and «vec»')).toEqual([
      { text: 'a ', match: false },
      { text: 'Vector3', match: true },
      { text: ' class and ', match: false },
      { text: 'vec', match: true },
    ]);
  });

  it('keeps markup-looking text as plain text', () => {
    expect(parseSnippet('<b>«x»</b>')).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ]);
  });

  it('leaves an unclosed mark as plain text', () => {
    expect(parseSnippet('one «two')).toEqual([{ text: 'one «two', match: false }]);
  });
});
