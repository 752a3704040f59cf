/**
 * A deliberately small reading of a bash command line, for the approval policy only: it splits simple
 * commands on `;`, `&&`, `||`, `|` and newlines, removes quoting, and collects redirections. Anything whose
 * effect cannot be known from the text alone (expansions, command substitution, subshells, here-documents,
 * background jobs) makes the whole line `opaque`, so a caller that errs on the side of asking is safe.
 * Libraries such as shell-quote expand `$VAR` from the environment and return `"$(rm x)"` as a plain word,
 * which is exactly the distinction this needs.
 */

export interface Redirection {
  /** The operator as written, without the fd number: `>`, `>>`, `2>` reads as fd `2` and `>`. */
  operator: string;
  fd: number | null;
  target: string;
}

export interface SimpleCommand {
  words: string[];
  redirections: Redirection[];
}

export type ShellReading =
  | { kind: 'commands'; commands: SimpleCommand[] }
  | { kind: 'opaque'; reason: string };

const SEPARATORS = ['&&', '||', '|&', ';;', ';', '|', '\n'] as const;
const REDIRECTION_OPERATORS = ['&>>', '&>', '>>', '>|', '>&', '<&', '<>', '>', '<'] as const;

function opaque(reason: string): ShellReading {
  return { kind: 'opaque', reason };
}

function isWordBreak(character: string | undefined): boolean {
  return character === undefined || ' \t\n;&|<>()'.includes(character);
}

function isNameStart(character: string | undefined): boolean {
  return character !== undefined && /[A-Za-z_0-9@*#?$!{-]/.test(character);
}

/**
 * Reads `line` into simple commands, or says why it will not.
 *
 * @example
 * readShellWords(`grep -n 'a b' x.txt | head -3`)
 * // { kind: 'commands', commands: [{ words: ['grep', '-n', 'a b', 'x.txt'], … }, { words: ['head', '-3'], … }] }
 */
export function readShellWords(line: string): ShellReading {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirections: [] };
  let index = 0;
  let pendingRedirection: { operator: string; fd: number | null } | null = null;

  const finishCommand = (): void => {
    if (current.words.length > 0 || current.redirections.length > 0) commands.push(current);
    current = { words: [], redirections: [] };
  };

  while (index < line.length) {
    const character = line[index]!;
    if (character === ' ' || character === '\t') {
      index += 1;
      continue;
    }
    if (line.startsWith('\\\n', index)) {
      index += 2;
      continue;
    }
    if (character === '#') {
      const end = line.indexOf('\n', index);
      index = end === -1 ? line.length : end;
      continue;
    }
    const separator = SEPARATORS.find((candidate) => line.startsWith(candidate, index));
    if (separator !== undefined) {
      if (pendingRedirection !== null) return opaque('a redirection without a target');
      if (separator === ';;') return opaque('a `case` clause');
      finishCommand();
      index += separator.length;
      continue;
    }
    if (line.startsWith('<<', index)) return opaque('a here-document or here-string');
    if (line.startsWith('<(', index) || line.startsWith('>(', index)) return opaque('a process substitution');
    const redirection = readRedirectionOperator(line, index);
    if (redirection !== null) {
      if (pendingRedirection !== null) return opaque('a redirection without a target');
      pendingRedirection = { operator: redirection.operator, fd: redirection.fd };
      index = redirection.end;
      continue;
    }
    if (character === '&') return opaque('a background job (`&`)');
    if (character === '(' || character === ')') return opaque('a subshell or process substitution');

    const word = readWord(line, index);
    if (word.kind === 'opaque') return word;
    index = word.end;
    if (pendingRedirection !== null) {
      current.redirections.push({ ...pendingRedirection, target: word.value });
      pendingRedirection = null;
    } else {
      current.words.push(word.value);
    }
  }
  if (pendingRedirection !== null) return opaque('a redirection without a target');
  finishCommand();
  return { kind: 'commands', commands };
}

function readRedirectionOperator(
  line: string,
  start: number,
): { operator: string; fd: number | null; end: number } | null {
  let index = start;
  while (index < line.length && /[0-9]/.test(line[index]!)) index += 1;
  const digits = line.slice(start, index);
  const operator = REDIRECTION_OPERATORS.find((candidate) => line.startsWith(candidate, index));
  if (operator === undefined) return null;
  if (digits !== '' && operator.startsWith('&')) return null;
  return { operator, fd: digits === '' ? null : Number(digits), end: index + operator.length };
}

type WordReading = { kind: 'word'; value: string; end: number } | { kind: 'opaque'; reason: string };

function readWord(line: string, start: number): WordReading {
  let value = '';
  let index = start;
  while (index < line.length && !isWordBreak(line[index])) {
    const character = line[index]!;
    if (character === "'") {
      const close = line.indexOf("'", index + 1);
      if (close === -1) return { kind: 'opaque', reason: 'an unclosed quote' };
      value += line.slice(index + 1, close);
      index = close + 1;
      continue;
    }
    if (character === '"') {
      const quoted = readDoubleQuoted(line, index + 1);
      if (quoted.kind === 'opaque') return quoted;
      value += quoted.value;
      index = quoted.end;
      continue;
    }
    if (character === '\\') {
      if (index + 1 >= line.length) return { kind: 'opaque', reason: 'a line ending in a backslash' };
      // A backslash-newline joins lines; anything else is the character itself.
      if (line[index + 1] !== '\n') value += line[index + 1];
      index += 2;
      continue;
    }
    if (character === '`') return { kind: 'opaque', reason: 'a command substitution (backticks)' };
    if (character === '$') {
      const expansion = classifyDollar(line[index + 1]);
      if (expansion !== null) return { kind: 'opaque', reason: expansion };
    }
    value += character;
    index += 1;
  }
  return { kind: 'word', value, end: index };
}

function readDoubleQuoted(line: string, start: number): WordReading {
  let value = '';
  let index = start;
  while (index < line.length) {
    const character = line[index]!;
    if (character === '"') return { kind: 'word', value, end: index + 1 };
    if (character === '\\' && index + 1 < line.length && '$`"\\\n'.includes(line[index + 1]!)) {
      if (line[index + 1] !== '\n') value += line[index + 1];
      index += 2;
      continue;
    }
    if (character === '`') return { kind: 'opaque', reason: 'a command substitution (backticks)' };
    if (character === '$') {
      const expansion = classifyDollar(line[index + 1]);
      if (expansion !== null) return { kind: 'opaque', reason: expansion };
    }
    value += character;
    index += 1;
  }
  return { kind: 'opaque', reason: 'an unclosed quote' };
}

/** Null when the `$` is a literal dollar sign (as in `grep 'x$'` written without quotes: `x$ `). */
function classifyDollar(next: string | undefined): string | null {
  if (next === '(') return 'a command substitution (`$(…)`)';
  if (next === "'" || next === '"') return "an ANSI-C or locale quote (`$'…'`)";
  if (isNameStart(next)) return 'a variable or parameter expansion';
  return null;
}
