import { describe, expect, it } from 'vitest';
import { textDiff } from './text-diff.ts';

describe('textDiff', () => {
  it('shows a changed line with three lines of context, numbered on each side', () => {
    const before = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n';
    const after = 'one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\n';
    expect(
      textDiff(before, after)?.map((line) => [line.kind, line.text, line.oldNumber, line.newNumber]),
    ).toEqual([
      ['hunk', '@@ -2,7 +2,7 @@', null, null],
      ['context', 'two', 2, 2],
      ['context', 'three', 3, 3],
      ['context', 'four', 4, 4],
      ['removed', 'five', 5, null],
      ['added', 'FIVE', null, 5],
      ['context', 'six', 6, 6],
      ['context', 'seven', 7, 7],
      ['context', 'eight', 8, 8],
    ]);
  });

  it('shows a new file as added lines, and two equal texts as no lines at all', () => {
    expect(
      textDiff('', 'a\nb\n')
        ?.filter((line) => line.kind === 'added')
        .map((line) => line.text),
    ).toEqual(['a', 'b']);
    expect(textDiff('same\n', 'same\n')).toEqual([]);
  });

  it('marks a missing final newline as a note, not as a changed line', () => {
    const lines = textDiff('a\n', 'a') ?? [];
    expect(lines.at(-1)).toMatchObject({ kind: 'note', text: '\\ No newline at end of file' });
  });
});
