import type { CommandResult } from './shell-session.ts';
import { terminalTextForModel } from './terminal-text.ts';

/** What the conversation reads for a command: how it ran, or that it never started. */
export type CommandResultForText =
  | Pick<CommandResult, 'output' | 'status' | 'exitCode' | 'durationMs' | 'shellRestarted' | 'limitHit'>
  /** Taken out of the queue by a person before its turn: nothing of it ran. */
  | { status: 'cancelled' };

/**
 * A command's result as the conversation (and so the model) reads it: no ANSI, a long output cut to head
 * and tail, and how it ended. A tool result carries only the output; a terminal message also shows the
 * command, as the original app did (`$ command`). When a person edited the proposed command before running
 * it, both say so and show what ran (issue 7, item 8): a model that is not told would take the output for
 * its own command's.
 *
 * @example
 * commandResultText({ command: 'ls', result, asToolResult: false, maxChars: 16_000 })
 * // '$ ls\nREADME.md\n[exit code 0]'
 * commandResultText({ command: 'ls -a', proposed: 'ls', result, asToolResult: true, maxChars: 16_000 })
 * // 'The person edited your command before running it; what ran was:\n```\nls -a\n```\n.\n..\n[exit code 0]'
 */
export function commandResultText(options: {
  /** As run. */
  command: string;
  /** As proposed, when the command answers a proposal; null for a command a person typed. */
  proposed?: string | null;
  /**
   * For a file action a person changed before applying it: what was applied, as the model would have written
   * it (file-action-summary.ts's changedActionText); it replaces the edited-command notice.
   */
  changedAction?: string | null;
  result: CommandResultForText;
  asToolResult: boolean;
  maxChars: number;
}): string {
  const { command, result } = options;
  const changedAction = options.changedAction ?? null;
  const edited = changedAction === null && options.proposed != null && options.proposed !== command;
  let body: string;
  if (result.status === 'cancelled') {
    body = '[cancelled by the user before it started; it did not run]';
  } else {
    const text = terminalTextForModel(result.output, { maxChars: options.maxChars }).text.replace(/\s+$/, '');
    const ending =
      result.status === 'timed-out'
        ? `[timed out after ${Math.round(result.durationMs / 1000)} s; the command was killed]`
        : result.status === 'interrupted'
          ? '[interrupted by the user]'
          : `[exit code ${result.exitCode ?? 'unknown'}]`;
    // The limit is named so the model (and the person) know why, and what setting to change (issue 7, item 6).
    const limit = result.limitHit === undefined ? '' : `\n[${result.limitHit.message}]`;
    const restarted = result.shellRestarted
      ? '\n[the shell was restarted: variables from earlier commands are gone]'
      : '';
    body = `${text === '' ? ending : `${text}\n${ending}`}${limit}${restarted}`;
  }
  if (changedAction !== null) {
    const notice = `The person changed your action before applying it; what was applied:\n${fenced(changedAction)}\n`;
    return options.asToolResult ? `${notice}${body}` : `${notice}$ ${command}\n${body}`;
  }
  if (options.asToolResult) {
    return edited
      ? `The person edited your command before running it; what ran was:\n${fenced(command)}\n${body}`
      : body;
  }
  const notice = edited ? 'The person edited your command before running it; what ran was:\n' : '';
  return `${notice}$ ${command}\n${body}`;
}

/** A fence longer than any run of backticks inside, so the command cannot close it early. */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}
