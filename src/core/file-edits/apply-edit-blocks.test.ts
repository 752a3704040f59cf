import { describe, expect, it } from 'vitest';
import { applyEditBlocks } from './apply-edit-blocks.ts';

const FILE = [
  'function add(a, b) {',
  '  return a + b;',
  '}',
  '',
  'function sub(a, b) {',
  '  return a - b;',
  '}',
  '',
].join('\n');

describe('applyEditBlocks', () => {
  it('replaces an exact match', () => {
    const outcome = applyEditBlocks(FILE, [{ oldText: '  return a - b;', newText: '  return a - b - 0;' }]);
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.text).toBe(FILE.replace('a - b;', 'a - b - 0;'));
    expect(outcome.replacements).toEqual([
      {
        block: 1,
        start: FILE.indexOf('  return a - b;'),
        end: FILE.indexOf('  return a - b;') + 15,
        newText: '  return a - b - 0;',
      },
    ]);
  });

  it('applies several blocks, each matched in the original text, whatever their order', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: 'function sub(a, b) {', newText: 'function subtract(a, b) {' },
      { oldText: 'function add(a, b) {', newText: 'function add(a, b = 0) {' },
      // Matches the original even though block 1 changes text before it.
      { oldText: '  return a - b;\n}', newText: '  return a - b;\n}\n// end' },
    ]);
    expect(outcome).toEqual({
      ok: true,
      text: FILE.replace('add(a, b)', 'add(a, b = 0)')
        .replace('sub(a, b)', 'subtract(a, b)')
        .replace('a - b;\n}', 'a - b;\n}\n// end'),
      replacements: expect.any(Array),
    });
  });

  it('a block may delete text (empty new text) and blocks may be adjacent', () => {
    const outcome = applyEditBlocks('abc', [
      { oldText: 'a', newText: '' },
      { oldText: 'b', newText: 'B' },
    ]);
    expect(outcome).toMatchObject({ ok: true, text: 'Bc' });
  });

  it('reports a missing old text with a whitespace-insensitive match and the closest lines', () => {
    const outcome = applyEditBlocks(FILE, [{ oldText: 'return a-b;', newText: 'x' }]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failures).toEqual([
      {
        block: 1,
        kind: 'not_found',
        whitespaceMatches: [{ startLine: 6, endLine: 6 }],
        lineNumberMatches: [],
        closest: {
          range: { startLine: 6, endLine: 6 },
          lines: ['  return a - b;'],
          similarity: expect.any(Number),
          firstDifference: { line: 6, fileLine: '  return a - b;', oldLine: 'return a-b;' },
        },
      },
    ]);
  });

  it('a whitespace-insensitive match spans changed line breaks and indentation', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: 'function add(a, b) {\nreturn a + b; }', newText: '' },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failures[0]).toMatchObject({
      kind: 'not_found',
      whitespaceMatches: [{ startLine: 1, endLine: 3 }],
    });
  });

  it('finds the closest window of several lines when one line differs', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: 'function sub(a, b) {\n  return a + b;\n}', newText: '' },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const failure = outcome.failures[0]!;
    expect(failure.kind).toBe('not_found');
    if (failure.kind !== 'not_found') return;
    expect(failure.whitespaceMatches).toEqual([]);
    expect(failure.closest).toMatchObject({
      range: { startLine: 5, endLine: 7 },
      lines: ['function sub(a, b) {', '  return a - b;', '}'],
      firstDifference: { line: 6, fileLine: '  return a - b;', oldLine: '  return a + b;' },
    });
  });

  it('says when the old text carries the line numbers read_file shows', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: '     5\tfunction sub(a, b) {\n     6\t  return a - b;', newText: '' },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failures[0]).toMatchObject({
      kind: 'not_found',
      lineNumberMatches: [{ startLine: 5, endLine: 6 }],
    });
  });

  it('offers no closest lines when nothing is alike', () => {
    const outcome = applyEditBlocks(FILE, [{ oldText: 'zzzz qqqq', newText: '' }]);
    expect(outcome).toMatchObject({
      ok: false,
      failures: [{ kind: 'not_found', closest: null, whitespaceMatches: [] }],
    });
  });

  it('refuses an old text that occurs more than once, naming the line of each match', () => {
    const outcome = applyEditBlocks(FILE, [{ oldText: '}\n', newText: '};\n' }]);
    expect(outcome).toEqual({
      ok: false,
      failures: [
        {
          block: 1,
          kind: 'ambiguous',
          matches: [
            { startLine: 3, endLine: 3 },
            { startLine: 7, endLine: 7 },
          ],
        },
      ],
    });
  });

  it('counts overlapping occurrences as ambiguous', () => {
    expect(applyEditBlocks('aaa', [{ oldText: 'aa', newText: 'b' }])).toMatchObject({
      ok: false,
      failures: [{ kind: 'ambiguous', matches: [{ startLine: 1 }, { startLine: 1 }] }],
    });
  });

  it('refuses an empty old text', () => {
    expect(applyEditBlocks(FILE, [{ oldText: '', newText: 'x' }])).toEqual({
      ok: false,
      failures: [{ block: 1, kind: 'empty_old_text' }],
    });
  });

  it('refuses blocks whose matches overlap, naming both', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: 'function add(a, b) {\n  return a + b;', newText: 'x' },
      { oldText: '  return a + b;\n}', newText: 'y' },
    ]);
    expect(outcome).toEqual({
      ok: false,
      failures: [{ block: 2, kind: 'overlap', otherBlock: 1, lines: { startLine: 2, endLine: 2 } }],
    });
  });

  it('two blocks with the same old text overlap', () => {
    expect(
      applyEditBlocks(FILE, [
        { oldText: 'function add', newText: 'x' },
        { oldText: 'function add', newText: 'y' },
      ]),
    ).toMatchObject({ ok: false, failures: [{ block: 2, kind: 'overlap', otherBlock: 1 }] });
  });

  it('applies nothing when one block of several fails, and reports every failing block', () => {
    const outcome = applyEditBlocks(FILE, [
      { oldText: 'function add', newText: 'function plus' },
      { oldText: 'no such text', newText: '' },
      { oldText: '', newText: '' },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failures.map((failure) => [failure.block, failure.kind])).toEqual([
      [2, 'not_found'],
      [3, 'empty_old_text'],
    ]);
  });

  it('looks for the closest lines in a large file within bounds', () => {
    const lines = Array.from(
      { length: 20_000 },
      (_, i) => `const value${i} = compute(${i}, "${'x'.repeat(i % 40)}");`,
    );
    const text = lines.join('\n');
    const started = performance.now();
    const outcome = applyEditBlocks(text, [
      { oldText: lines.slice(12_000, 12_040).join('\n').replace('12020', '12O20'), newText: '' },
    ]);
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({
      ok: false,
      failures: [
        {
          kind: 'not_found',
          closest: { range: { startLine: 12_001, endLine: 12_040 }, firstDifference: { line: 12_021 } },
        },
      ],
    });
    // Generous: a model turn must not stall on a failed edit (~0.15 s measured here for 20,000 lines).
    expect(elapsed).toBeLessThan(5_000);
  });
});
