/**
 * The allowlist behind the `read-only` approval policy: commands that only read, each with the options known
 * to be harmless (file-commands.ts, search-commands.ts, text-commands.ts, system-commands.ts, find-command.ts,
 * git-command.ts).
 * Whatever is not on it asks. The judgement reads the text and assumes the command then runs through
 * ShellSession.runIsolated: a fresh bash (no functions or aliases an earlier command defined) where
 * `GLOBIGNORE='-*'` keeps a file-name pattern from expanding to a word that reads as an option, and git's
 * code-running config is neutralised. It is a convenience inside a sandbox, never a security boundary.
 */
import type { Redirection, SimpleCommand } from '../shell-words.ts';
import { FILE_COMMANDS } from './file-commands.ts';
import { find } from './find-command.ts';
import { git } from './git-command.ts';
import type { CommandRule } from './option-reader.ts';
import { SEARCH_COMMANDS } from './search-commands.ts';
import { SYSTEM_COMMANDS } from './system-commands.ts';
import { TEXT_COMMANDS } from './text-commands.ts';

export const READ_ONLY_COMMANDS: Readonly<Record<string, CommandRule>> = {
  ...FILE_COMMANDS,
  ...SEARCH_COMMANDS,
  ...TEXT_COMMANDS,
  ...SYSTEM_COMMANDS,
  find,
  git,
};

const WRITING_OPERATORS = ['>', '>>', '>|', '&>', '&>>'];

function redirectionProblem(redirection: Redirection): string | null {
  const { operator, target } = redirection;
  if (operator === '>&' || operator === '<&') {
    return /^[0-9]+$|^-$/.test(target) ? null : `the redirection \`${operator}${target}\` writes a file`;
  }
  if (redirection.pattern) return `the redirection \`${operator} ${target}\` names files by a pattern`;
  if (operator === '<') {
    // bash itself opens /dev/tcp/… and /dev/udp/… as network connections.
    return target.startsWith('/dev/') && target !== '/dev/null'
      ? `the redirection \`< ${target}\` reads a device bash handles itself`
      : null;
  }
  if (WRITING_OPERATORS.includes(operator) && target === '/dev/null') return null;
  return `the redirection \`${operator} ${target}\` writes a file`;
}

/**
 * Null when every part of `command` is on the allowlist with harmless arguments, else why not.
 *
 * @example
 * readOnlyProblem({ words: [{ text: 'sort', pattern: false }, { text: '--outp=f', pattern: false }], redirections: [] })
 * // '`sort --outp` is not an option known to be harmless'
 */
export function readOnlyProblem(command: SimpleCommand): string | null {
  const [nameWord, ...args] = command.words;
  if (nameWord === undefined) {
    return command.redirections.length > 0 ? 'a redirection on its own can create a file' : null;
  }
  const name = nameWord.text;
  if (nameWord.pattern) return `a file-name pattern (\`${name}\`) as the command`;
  if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(name)) {
    return `the variable assignment \`${name}\` can change what a program does (LD_PRELOAD, PATH…)`;
  }
  const rule = Object.hasOwn(READ_ONLY_COMMANDS, name) ? READ_ONLY_COMMANDS[name] : undefined;
  if (rule === undefined) return `\`${name}\` is not on the read-only list`;
  const problem = rule(name, args);
  if (problem !== null) return problem;
  for (const redirection of command.redirections) {
    const redirectionIssue = redirectionProblem(redirection);
    if (redirectionIssue !== null) return redirectionIssue;
  }
  return null;
}
