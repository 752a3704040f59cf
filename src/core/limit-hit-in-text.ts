/**
 * The limit a command ran into, read back from its result as the conversation holds it. An execution's record
 * has no place for `limitHit` (no column, and issue 7 asks for no migration for it), but the result message
 * that `commandResultText` wrote names it, so the UI can show it beside the output.
 */

/** `[stopped: the sandbox's … limit (…) was reached — raise limits.… in the conversation's settings]`, as `limitHit()` words it. */
const LIMIT_LINE =
  /^\[(stopped: (the sandbox's [a-zA-Z ]+ limit \([^)\n]*\) was reached)(?: — raise limits\.([a-zA-Z]+) in [^\n]*)?)\]$/;
const RESTARTED_LINE = '[the shell was restarted: variables from earlier commands are gone]';
/** How `commandResultText` ends a command that ran, just before the limit's line. */
const ENDING_LINE = /^\[(?:exit code [^\]\n]*|timed out after [^\]\n]*|interrupted by the user)\]$/;

export interface LimitHitInText {
  /** The whole sentence, as the conversation (and the model) reads it. */
  message: string;
  /** Its first half: which limit, at what value (`the sandbox's memory limit (64 MiB) was reached`). */
  reached: string;
  /** The key under `limits` to raise (`memoryMiB`), when the sentence names it. */
  setting: string | null;
}

/**
 * The limit's sentence, or null. Only the lines the result ends with count: whatever the command printed
 * comes before its ending, so output that imitates the sentence is never taken for it.
 *
 * @example
 * limitHitInText("$ yes > f\n[exit code 153]\n[stopped: the sandbox's file size limit (1 MiB) was reached — raise limits.fileSizeMiB in the conversation's settings]")
 * // { message: "stopped: the sandbox's file size limit (1 MiB) was reached — raise limits.fileSizeMiB in the conversation's settings",
 * //   reached: "the sandbox's file size limit (1 MiB) was reached", setting: 'fileSizeMiB' }
 */
export function limitHitInText(text: string): LimitHitInText | null {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.at(-1) === RESTARTED_LINE) lines.pop();
  const limit = LIMIT_LINE.exec(lines.at(-1) ?? '');
  if (limit === null || !ENDING_LINE.test(lines.at(-2) ?? '')) return null;
  return { message: limit[1] ?? '', reached: limit[2] ?? '', setting: limit[3] ?? null };
}
