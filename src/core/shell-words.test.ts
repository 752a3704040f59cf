import { describe, expect, it } from 'vitest';
import { readShellWords } from './shell-words.ts';

describe('readShellWords', () => {
  it('splits simple commands on operators and removes quoting', () => {
    expect(readShellWords(`grep -n 'a b' "c d" e\\ f | head -3 && ls;pwd`)).toEqual({
      kind: 'commands',
      commands: [
        { words: ['grep', '-n', 'a b', 'c d', 'e f'], redirections: [] },
        { words: ['head', '-3'], redirections: [] },
        { words: ['ls'], redirections: [] },
        { words: ['pwd'], redirections: [] },
      ],
    });
  });

  it('collects redirections with their fd and target, wherever they stand', () => {
    expect(readShellWords('2>/dev/null ls a>out 2>&1 <in')).toEqual({
      kind: 'commands',
      commands: [
        {
          words: ['ls', 'a'],
          redirections: [
            { operator: '>', fd: 2, target: '/dev/null' },
            { operator: '>', fd: null, target: 'out' },
            { operator: '>&', fd: 2, target: '1' },
            { operator: '<', fd: null, target: 'in' },
          ],
        },
      ],
    });
  });

  it('keeps digits that do not start a redirection as words', () => {
    expect(readShellWords('head -n 10 file2')).toMatchObject({
      commands: [{ words: ['head', '-n', '10', 'file2'], redirections: [] }],
    });
  });

  it('joins backslash-newline continuations', () => {
    expect(readShellWords('ls \\\n  -la')).toMatchObject({ commands: [{ words: ['ls', '-la'] }] });
  });

  it('says why a line is opaque', () => {
    expect(readShellWords('ls >')).toEqual({ kind: 'opaque', reason: 'a redirection without a target' });
    expect(readShellWords('case x in a) ;; esac')).toMatchObject({ kind: 'opaque' });
    expect(readShellWords('echo "unclosed')).toEqual({ kind: 'opaque', reason: 'an unclosed quote' });
    expect(readShellWords('ls \\')).toEqual({ kind: 'opaque', reason: 'a line ending in a backslash' });
  });
});
