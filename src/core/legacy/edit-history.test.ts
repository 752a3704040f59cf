import { describe, expect, it } from 'vitest';
import { buildEditHistory } from './edit-history.ts';
import type { LegacyMessageRow } from './legacy-database.ts';

function rows(
  ...specs: [id: number, type: number, sourceId: number | null][]
): Map<number, LegacyMessageRow> {
  return new Map(
    specs.map(([id, type, sourceId]) => [
      id,
      {
        id,
        hash: `h${id}`,
        content: '{}',
        datetime: '2023-01-01 00:00:00',
        type,
        role: 'assistant',
        sourceId,
      },
    ]),
  );
}

describe('buildEditHistory', () => {
  it('follows a chain of edits back to what was first written', () => {
    // 42 is a model answer (its source_id points at itself, as the original wrote it), 43 edits it, 44 edits 43.
    const history = buildEditHistory(rows([42, 1, 42], [43, 4, 42], [44, 4, 43], [45, 2, null]));
    expect(history.rootOf(44)).toBe(42);
    expect(history.lineage(44)).toEqual([42, 43, 44]);
    expect(history.rootOf(42)).toBe(42);
    expect(history.rootOf(45)).toBe(45);
    expect(history.editsOf(42)).toEqual([43]);
  });

  it('ignores source_id on everything that is not an edit', () => {
    const history = buildEditHistory(rows([9, 1, 9], [10, 1, 9]));
    expect(history.rootOf(10)).toBe(10);
  });

  it('keeps an edit of a message missing from the file as a message of its own', () => {
    const history = buildEditHistory(rows([14, 4, 11]));
    expect(history.lineage(14)).toEqual([14]);
  });

  it('does not hang on a cycle a damaged file could hold, and gives every version one root', () => {
    const history = buildEditHistory(rows([1, 4, 2], [2, 4, 1]));
    expect(history.rootOf(1)).toBe(history.rootOf(2));
    expect(history.lineage(2).length + history.lineage(1).length).toBe(3);
  });
});
