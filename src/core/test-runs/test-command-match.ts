/**
 * Whether a command that ran is a run of the conversation's test command (issue 8, tests as data), read as
 * shell words (shell-words.ts), so quoting and spacing do not matter and `echo npm test` is not a run.
 *
 * The rules, and why:
 * - The test command's words must start the run's last simple command: `npm test -- -t parser` is a run of
 *   `npm test`; `npm test | tail -20` and `npm test || true` are not, because the exit code that decides
 *   pass or fail would be `tail`'s or `true`'s (the shell runs without `pipefail`). For the same reason
 *   `npm test && echo done` is not either: the words cannot tell `&&` from `||` or `|`.
 * - Before it, only `cd` commands may come: `cd web && npm test` is a run (models often `cd` into the
 *   workspace first); the directory is not checked. A test command of several commands (`cd web && npm
 *   test`) must be matched command for command, its last one as a prefix.
 * - Leading variable assignments are set aside on both sides: `CI=1 npm test` is a run of `npm test`.
 * - Redirections do not matter (`npm test 2>&1`, `npm test > log`: the exit code is still the tests').
 * - A line the word reader refuses (a `$`, a here-document…) is compared as text: it is a run when it is
 *   the test command, or the test command followed by a space and no `;`, `&`, `|` or newline.
 */
import { readShellWords, type SimpleCommand } from '../shell-words.ts';

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function commandWords(command: SimpleCommand): string[] {
  const words = command.words.map((word) => word.text);
  let first = 0;
  while (first < words.length && ASSIGNMENT.test(words[first]!)) first += 1;
  return words.slice(first);
}

function startsWith(words: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= words.length && prefix.every((word, index) => words[index] === word);
}

function sameWords(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && startsWith(left, right);
}

function textMatch(commandRun: string, testCommand: string): boolean {
  const run = commandRun.trim();
  const test = testCommand.trim();
  if (run === test) return true;
  if (!run.startsWith(`${test} `)) return false;
  return !/[;&|\n]/.test(run.slice(test.length));
}

/**
 * @example
 * isTestRun('npm test -- -t parser', 'npm test')  // true
 * isTestRun('cd web && npm test', 'npm test')     // true
 * isTestRun('echo npm test', 'npm test')          // false
 * isTestRun('npm test | tail -5', 'npm test')     // false: the exit code would be tail's
 */
export function isTestRun(commandRun: string, testCommand: string): boolean {
  const test = readShellWords(testCommand);
  const run = readShellWords(commandRun);
  if (test.kind === 'opaque' || run.kind === 'opaque') return textMatch(commandRun, testCommand);
  const testCommands = test.commands.map(commandWords);
  const runCommands = run.commands.map(commandWords);
  if (testCommands.length === 0 || testCommands.some((words) => words.length === 0)) return false;
  const offset = runCommands.length - testCommands.length;
  if (offset < 0) return false;
  for (let index = 0; index < offset; index += 1) {
    if (runCommands[index]![0] !== 'cd') return false;
  }
  return testCommands.every((words, index) => {
    const runWords = runCommands[offset + index]!;
    return index === testCommands.length - 1 ? startsWith(runWords, words) : sameWords(runWords, words);
  });
}
