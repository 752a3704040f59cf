/**
 * A deliberately small reading of a bash command line, for the approval policy only: it splits simple
 * commands on `;`, `&&`, `||`, `|` and newlines, removes quoting, and collects redirections. Anything whose
 * effect cannot be known from the text alone makes the whole line `opaque`, so a caller that errs on the
 * side of asking is safe: every `$` outside single quotes (variables, `$(…)`, `$'…'`, `$"…"`, arithmetic),
 * backticks, unquoted braces (brace expansion, groups), unquoted `[` (globs, `[ … ]`, subscripts), an unquoted
 * `~` other than `~` or `~/…`, subshells, process substitution, here-documents and here-strings, background
 * jobs, control characters, format characters (bidi, zero-width) and any non-ASCII character outside quotes,
 * whose meaning to bash may differ from what a person sees. Unquoted `*` and `?` are kept and the word is
 * marked as a pattern: the caller decides where a file-name pattern is harmless.
 * Libraries such as shell-quote expand `$VAR` from the environment and return `"$(rm x)"` as a plain word,
 * which is exactly the distinction this needs.
 */

export interface Redirection {
  /** The operator as written, without the fd number: `>`, `>>`, `2>` reads as fd `2` and `>`. */
  operator: string;
  fd: number | null;
  target: string;
  /** The target holds an unquoted `*` or `?`, which bash expands against file names. */
  pattern: boolean;
}

export interface ShellWord {
  /** The word with quoting removed. */
  text: string;
  /** Holds an unquoted `*` or `?`: bash replaces it with matching file names (any number of words). */
  pattern: boolean;
}

export interface SimpleCommand {
  words: ShellWord[];
  redirections: Redirection[];
}

export type ShellReading =
  | { kind: 'commands'; commands: SimpleCommand[] }
  | { kind: 'opaque'; reason: string };

const SEPARATORS = ['&&', '||', '|&', ';;', ';', '|', '\n'] as const;
const REDIRECTION_OPERATORS = ['&>>', '&>', '>>', '>|', '>&', '<&', '<>', '>', '<'] as const;

/**
 * Characters refused anywhere, quoted or not: C0/C1 controls but tab and newline (a carriage return hides
 * what precedes it), format characters (bidi overrides, zero-width spaces), line and paragraph separators,
 * and lone surrogates (sent as U+FFFD, so bash would read something else).
 */
const REFUSED_ANYWHERE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDFFF]/u;
/** Unquoted, only printable ASCII: a non-breaking or ideographic space would look like a word break. */
const UNQUOTED_ALLOWED = /^[\t\n\x20-\x7e]$/;

function opaque(reason: string): ShellReading {
  return { kind: 'opaque', reason };
}

function isWordBreak(character: string | undefined): boolean {
  return character === undefined || ' \t\n;&|<>()'.includes(character);
}

/**
 * Reads `line` into simple commands, or says why it will not.
 *
 * @example
 * readShellWords(`grep -n 'a b' x.txt | head -3`)
 * // { kind: 'commands', commands: [{ words: [{ text: 'grep', pattern: false }, …], … }, …] }
 */
export function readShellWords(line: string): ShellReading {
  const refused = REFUSED_ANYWHERE.exec(line.replaceAll(/[\t\n]/g, ' '));
  if (refused !== null) {
    const code = refused[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return opaque(`a control or invisible character (U+${code})`);
  }
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
      current.redirections.push({ ...pendingRedirection, target: word.text, pattern: word.pattern });
      pendingRedirection = null;
    } else {
      current.words.push({ text: word.text, pattern: word.pattern });
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

type WordReading =
  | { kind: 'word'; text: string; pattern: boolean; end: number }
  | { kind: 'opaque'; reason: string };

function unquotedProblem(line: string, index: number, start: number): string | null {
  const character = line[index]!;
  if (!UNQUOTED_ALLOWED.test(character)) return 'a non-ASCII character outside quotes';
  if (character === '`') return 'a command substitution (backticks)';
  if (character === '$') return 'a `$` expansion (variable, `$(…)`, `$((…))`, `$\'…\'` or `$"…"`)';
  if (character === '{' || character === '}') return 'an unquoted brace (brace expansion or a group)';
  if (character === '[' || character === ']') return 'an unquoted bracket (a glob class or `[ … ]`)';
  if (character === '~' && index === start && !isWordBreak(line[index + 1]) && line[index + 1] !== '/') {
    return 'a tilde expansion other than `~` or `~/…`';
  }
  return null;
}

function readWord(line: string, start: number): WordReading {
  let text = '';
  let pattern = false;
  let index = start;
  while (index < line.length && !isWordBreak(line[index])) {
    const character = line[index]!;
    if (character === "'") {
      const close = line.indexOf("'", index + 1);
      if (close === -1) return { kind: 'opaque', reason: 'an unclosed quote' };
      text += line.slice(index + 1, close);
      index = close + 1;
      continue;
    }
    if (character === '"') {
      const quoted = readDoubleQuoted(line, index + 1);
      if (quoted.kind === 'opaque') return quoted;
      text += quoted.text;
      index = quoted.end;
      continue;
    }
    if (character === '\\') {
      if (index + 1 >= line.length) return { kind: 'opaque', reason: 'a line ending in a backslash' };
      // A backslash-newline joins lines; anything else is the character itself, quoted.
      if (line[index + 1] !== '\n') text += line[index + 1];
      index += 2;
      continue;
    }
    const problem = unquotedProblem(line, index, start);
    if (problem !== null) return { kind: 'opaque', reason: problem };
    if (character === '*' || character === '?') pattern = true;
    text += character;
    index += 1;
  }
  return { kind: 'word', text, pattern, end: index };
}

function readDoubleQuoted(line: string, start: number): WordReading {
  let text = '';
  let index = start;
  while (index < line.length) {
    const character = line[index]!;
    if (character === '"') return { kind: 'word', text, pattern: false, end: index + 1 };
    if (character === '\\' && index + 1 < line.length && '$`"\\\n'.includes(line[index + 1]!)) {
      if (line[index + 1] !== '\n') text += line[index + 1];
      index += 2;
      continue;
    }
    if (character === '`') return { kind: 'opaque', reason: 'a command substitution (backticks)' };
    if (character === '$') {
      return { kind: 'opaque', reason: 'a `$` expansion inside double quotes' };
    }
    text += character;
    index += 1;
  }
  return { kind: 'opaque', reason: 'an unclosed quote' };
}
