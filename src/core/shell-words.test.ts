import { describe, expect, it } from 'vitest';
import { readShellWords, type ShellWord } from './shell-words.ts';

function plain(...texts: string[]): ShellWord[] {
  return texts.map((text) => ({ text, pattern: false }));
}

describe('readShellWords', () => {
  it('splits simple commands on operators and removes quoting', () => {
    expect(readShellWords(`grep -n 'a b' "c d" e\\ f | head -3 && ls;pwd`)).toEqual({
      kind: 'commands',
      commands: [
        { words: plain('grep', '-n', 'a b', 'c d', 'e f'), redirections: [] },
        { words: plain('head', '-3'), redirections: [] },
        { words: plain('ls'), redirections: [] },
        { words: plain('pwd'), redirections: [] },
      ],
    });
  });

  it('collects redirections with their fd and target, wherever they stand', () => {
    expect(readShellWords('2>/dev/null ls a>out 2>&1 <in')).toEqual({
      kind: 'commands',
      commands: [
        {
          words: plain('ls', 'a'),
          redirections: [
            { operator: '>', fd: 2, target: '/dev/null', pattern: false },
            { operator: '>', fd: null, target: 'out', pattern: false },
            { operator: '>&', fd: 2, target: '1', pattern: false },
            { operator: '<', fd: null, target: 'in', pattern: false },
          ],
        },
      ],
    });
  });

  it('keeps digits that do not start a redirection as words', () => {
    expect(readShellWords('head -n 10 file2')).toMatchObject({
      commands: [{ words: plain('head', '-n', '10', 'file2'), redirections: [] }],
    });
  });

  it('joins backslash-newline continuations', () => {
    expect(readShellWords('ls \\\n  -la')).toMatchObject({ commands: [{ words: plain('ls', '-la') }] });
  });

  it('marks words with an unquoted * or ? as patterns, and quoted ones as plain text', () => {
    expect(readShellWords(`ls src/*.ts 'a*' "b?" c\\*`)).toMatchObject({
      commands: [
        {
          words: [
            { text: 'ls', pattern: false },
            { text: 'src/*.ts', pattern: true },
            { text: 'a*', pattern: false },
            { text: 'b?', pattern: false },
            { text: 'c*', pattern: false },
          ],
        },
      ],
    });
  });

  it('reads quoted braces, brackets, dollars and tildes as plain text', () => {
    expect(readShellWords(`echo '{a,b}' "[x]" '$HOME' '~root' ~ ~/x`)).toMatchObject({
      commands: [{ words: plain('echo', '{a,b}', '[x]', '$HOME', '~root', '~', '~/x') }],
    });
  });

  it.each([
    ['ls >', 'a redirection without a target'],
    ['echo "unclosed', 'an unclosed quote'],
    ['ls \\', 'a line ending in a backslash'],
    ['echo {a,b}', 'an unquoted brace (brace expansion or a group)'],
    ['{ ls; }', 'an unquoted brace (brace expansion or a group)'],
    ['ls [ab]', 'an unquoted bracket (a glob class or `[ … ]`)'],
    ['[ -f x ]', 'an unquoted bracket (a glob class or `[ … ]`)'],
    ['ls ~root', 'a tilde expansion other than `~` or `~/…`'],
    ['ls ~+', 'a tilde expansion other than `~` or `~/…`'],
    ['echo $x', 'a `$` expansion (variable, `$(…)`, `$((…))`, `$\'…\'` or `$"…"`)'],
    ['echo $', 'a `$` expansion (variable, `$(…)`, `$((…))`, `$\'…\'` or `$"…"`)'],
    ['echo "a $x"', 'a `$` expansion inside double quotes'],
    ['echo `id`', 'a command substitution (backticks)'],
    ['cat <<<x', 'a here-document or here-string'],
    ['ls\u00a0-la', 'a non-ASCII character outside quotes'],
    ['ls\r', 'a control or invisible character (U+000D)'],
    ["echo 'a\u200bb'", 'a control or invisible character (U+200B)'],
    ["echo '\u2066x'", 'a control or invisible character (U+2066)'],
    ['ls \ud800', 'a control or invisible character (U+D800)'],
  ])('reads %j as opaque: %s', (line, reason) => {
    expect(readShellWords(line)).toEqual({ kind: 'opaque', reason });
  });

  it('keeps non-ASCII text inside quotes', () => {
    expect(readShellWords(`grep 'café' "naïve"`)).toMatchObject({
      commands: [{ words: plain('grep', 'café', 'naïve') }],
    });
  });

  it('reads a case clause as opaque', () => {
    expect(readShellWords('case x in a) ;; esac')).toMatchObject({ kind: 'opaque' });
  });
});
