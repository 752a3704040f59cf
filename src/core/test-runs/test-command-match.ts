/**
 * Whether a command that ran is a run of the conversation's test command (issue 8, tests as data), read as
 * shell words (shell-words.ts), so quoting and spacing do not matter and `echo npm test` is not a run.
 *
 * The rules, and why:
 * - The test command's words must start the run's last simple command for its exit code to decide pass or
 *   fail: `npm test -- -t parser` is such a run of `npm test`. When other commands follow (`npm test 2>&1 |
 *   tail -30`, `npm test || true`, `npm test && echo done`), the exit code is theirs (the shell runs without
 *   `pipefail`, and the words cannot tell `&&` from `||` or `|`): it is a run decided by its output, which
 *   counts only if the output states the runner's counts (testRunStatus).
 * - Before it, only `cd` commands may come: `cd web && npm test` is a run (models often `cd` into the
 *   workspace first); the directory is not checked. A test command of several commands (`cd web && npm
 *   test`) must be matched command for command, its last one as a prefix.
 * - Leading variable assignments are set aside on both sides: `CI=1 npm test` is a run of `npm test`.
 * - Redirections do not matter (`npm test 2>&1`, `npm test > log`: the exit code is still the tests').
 * - A line the word reader refuses (a `$`, a here-document…) is compared as text: it is a run when it is
 *   the test command, or starts with it followed by a space or a separator; decided by its output when a
 *   `;`, `&`, `|` or newline follows.
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

function textMatch(commandRun: string, testCommand: string): TestRunMatch {
  const run = commandRun.trim();
  const test = testCommand.trim();
  if (run === test) return 'exit-code';
  const rest = run.slice(test.length);
  if (!run.startsWith(test) || !/^[\s;&|]/.test(rest)) return null;
  return /[;&|\n]/.test(rest) ? 'output' : 'exit-code';
}

/**
 * How a run of the test command says whether it passed: by its exit code (the tests' command ran last), or
 * only by the counts in its output (other commands came after it); null when it is not a run of it.
 */
export type TestRunMatch = 'exit-code' | 'output' | null;

/**
 * @example
 * testRunMatch('npm test -- -t parser', 'npm test')  // 'exit-code'
 * testRunMatch('cd web && npm test', 'npm test')     // 'exit-code'
 * testRunMatch('npm test 2>&1 | tail -5', 'npm test') // 'output': the exit code would be tail's
 * testRunMatch('echo npm test', 'npm test')          // null
 */
export function testRunMatch(commandRun: string, testCommand: string): TestRunMatch {
  const test = readShellWords(testCommand);
  const run = readShellWords(commandRun);
  if (test.kind === 'opaque' || run.kind === 'opaque') return textMatch(commandRun, testCommand);
  const testCommands = test.commands.map(commandWords);
  const runCommands = run.commands.map(commandWords);
  if (testCommands.length === 0 || testCommands.some((words) => words.length === 0)) return null;
  // The test command's commands in a row, only `cd` before them, its last one matched as a prefix.
  const firstOther = runCommands.findIndex((words) => words[0] !== 'cd');
  const latestStart = firstOther < 0 ? runCommands.length : firstOther;
  for (let start = 0; start <= latestStart; start += 1) {
    const end = start + testCommands.length - 1;
    if (end >= runCommands.length) break;
    const matches = testCommands.every((words, index) => {
      const runWords = runCommands[start + index]!;
      return index === testCommands.length - 1 ? startsWith(runWords, words) : sameWords(runWords, words);
    });
    if (matches) return end === runCommands.length - 1 ? 'exit-code' : 'output';
  }
  return null;
}

/**
 * A run's status: from the exit code when the tests' command ran last; from the output's counts when other
 * commands followed (any failed: failed; none failed and some passed: passed); null when the output does not
 * say (a piped run whose summary was cut off is not recorded: it would be a guess).
 */
export function testRunStatus(
  match: Exclude<TestRunMatch, null>,
  exitCode: number | null,
  counts: { passed: number | null; failed: number | null } | null,
): 'passed' | 'failed' | null {
  if (match === 'exit-code') return exitCode === 0 ? 'passed' : 'failed';
  if (counts === null) return null;
  if ((counts.failed ?? 0) > 0) return 'failed';
  return (counts.passed ?? 0) > 0 ? 'passed' : null;
}
