import { describe, expect, it } from 'vitest';
import { toTsQuery } from './postgres-search.ts';

describe('toTsQuery', () => {
  it('makes every typed word a prefix term, all of them required', () => {
    expect(toTsQuery('hel wor')).toBe("'hel':* & 'wor':*");
    expect(toTsQuery('Ünïcode 数据 snake_case 42')).toBe("'Ünïcode':* & '数据':* & 'snake_case':* & '42':*");
  });

  it("keeps only words, so tsquery's own syntax and quotes typed by a person are never syntax", () => {
    expect(toTsQuery('a|b & !c <-> (d) \'e\' "f" g:* h\\')).toBe(
      "'a':* & 'b':* & 'c':* & 'd':* & 'e':* & 'f':* & 'g':* & 'h':*",
    );
    expect(toTsQuery("o'clock")).toBe("'o':* & 'clock':*");
  });

  it('gives nothing for text without words, and at most 20 terms', () => {
    expect(toTsQuery('  !!! ... ')).toBe('');
    expect(
      toTsQuery(Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ')).split(' & '),
    ).toHaveLength(20);
  });
});
