import type { CommandResult } from './shell-session.ts';
import { terminalTextForModel } from './terminal-text.ts';

/**
 * A command's result as the conversation (and so the model) reads it: no ANSI, a long output cut to head
 * and tail, and how it ended. A tool result carries only the output; a terminal message also shows the
 * command, as the original app did (`$ command`).
 *
 * @example
 * commandResultText({ command: 'ls', result, asToolResult: false, maxChars: 16_000 })
 * // '$ ls\nREADME.md\n[exit code 0]'
 */
export function commandResultText(options: {
  command: string;
  result: Pick<CommandResult, 'output' | 'status' | 'exitCode' | 'durationMs' | 'shellRestarted'>;
  asToolResult: boolean;
  maxChars: number;
}): string {
  const { command, result } = options;
  const text = terminalTextForModel(result.output, { maxChars: options.maxChars }).text.replace(/\s+$/, '');
  const ending =
    result.status === 'timed-out'
      ? `[timed out after ${Math.round(result.durationMs / 1000)} s; the command was killed]`
      : result.status === 'interrupted'
        ? '[interrupted by the user]'
        : `[exit code ${result.exitCode ?? 'unknown'}]`;
  const restarted = result.shellRestarted
    ? '\n[the shell was restarted: variables from earlier commands are gone]'
    : '';
  const body = text === '' ? ending : `${text}\n${ending}`;
  return options.asToolResult ? `${body}${restarted}` : `$ ${command}\n${body}${restarted}`;
}
