import { describe, expect, it } from 'vitest';
import type { ShellWord } from '../shell-words.ts';
import { readOptions } from './option-reader.ts';

function words(...texts: string[]): ShellWord[] {
  return texts.map((text) => ({ text, pattern: text.includes('*') }));
}

const spec = {
  flags: 'rn',
  withValue: 'k',
  optionalValue: 'u',
  long: ['--reverse'],
  longWithValue: ['--key'],
  longOptionalValue: ['--color'],
  numeric: true,
};

describe('readOptions', () => {
  it('reads clusters, attached and separate values, and permuted options', () => {
    const reading = readOptions(
      'sort',
      words('-rn', 'a', '-k2', '--key', '3', 'b', '-k', '4', '--color', '-5'),
      spec,
    );
    expect(reading).toEqual({
      kind: 'read',
      value: {
        operands: words('a', 'b'),
        seen: new Set(['-r', '-n', '-k', '--key', '--color', '-NUM']),
      },
    });
  });

  it('refuses an abbreviation of a long option, as GNU getopt would expand it', () => {
    expect(readOptions('sort', words('--rev'), spec)).toEqual({
      kind: 'refused',
      reason: '`sort --rev` is not an option known to be harmless',
    });
  });

  it('refuses an unknown letter anywhere in a cluster', () => {
    expect(readOptions('sort', words('-rno', 'f'), spec)).toMatchObject({
      reason: expect.stringContaining('`sort -o`'),
    });
  });

  it('reads everything after -- as operands, and a value only attached when it is optional', () => {
    expect(readOptions('sort', words('-u', 'x', '--', '-o', '--output=f'), spec)).toMatchObject({
      value: { operands: words('x', '-o', '--output=f') },
    });
  });

  it('refuses a value on a flag, a missing value, and a pattern where an option or value stands', () => {
    expect(readOptions('sort', words('--reverse=1'), spec)).toMatchObject({ kind: 'refused' });
    expect(readOptions('sort', words('-k'), spec)).toMatchObject({ kind: 'refused' });
    expect(readOptions('sort', words('-k', '*'), spec)).toMatchObject({ kind: 'refused' });
    expect(readOptions('sort', words('-*'), spec)).toMatchObject({ kind: 'refused' });
    expect(readOptions('sort', words('src/*'), spec)).toMatchObject({ kind: 'read' });
  });

  it('gives each value letter of a cluster the next word when the tool reads clusters that way', () => {
    const treeLike = { flags: 'd', withValue: 'Lo', clusterValuesFollow: true };
    expect(readOptions('tree', words('-dLo', '1', 'out', 'src'), treeLike)).toMatchObject({
      value: { operands: words('src'), seen: new Set(['-d', '-L', '-o']) },
    });
    expect(readOptions('tree', words('-Lo', '1'), treeLike)).toMatchObject({ kind: 'refused' });
  });
});
