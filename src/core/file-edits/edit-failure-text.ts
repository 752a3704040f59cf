/**
 * The message a model reads when a file action did not happen (issue 8, item 1: "a failed edit tells the
 * model precisely why"). Each text names the block, the reason and what to do next; for an old text that was
 * not found it shows the file's closest lines, numbered as read_file numbers them, so the next attempt can
 * copy them exactly. The person's card shows the same text.
 */
import type { EditBlockFailure } from './apply-edit-blocks.ts';
import type { ClosestLines, LineRange } from './closest-lines.ts';
import type { FileActionProblem, OutsideReason } from './file-action-problem.ts';
import { type FileActionName, numberedLines, plural } from './file-action-result-text.ts';
import type { NotTextReason } from './text-encoding.ts';

export interface ProblemContext {
  action: FileActionName;
  /** The path as the model wrote it. */
  path: string;
  /** The workspace as the model sees it (its shell's working folder), for "give a path inside …". */
  workspace?: string;
  /** For edit_file: how many blocks the edit had. */
  blockCount?: number;
}

/** At most this many closest lines are shown; a long old text is identified by its first lines. */
const MAX_SHOWN_LINES = 30;

/**
 * @example
 * fileActionProblemText({ kind: 'changed_since_read' }, { action: 'edit_file', path: 'src/a.ts' })
 * // 'edit_file src/a.ts was not applied; nothing was changed. The file changed since you last read it…'
 */
export function fileActionProblemText(problem: FileActionProblem, context: ProblemContext): string {
  const { action, path } = context;
  const opening =
    action === 'read_file'
      ? `read_file ${path} failed.`
      : `${action} ${path} was not applied; nothing was changed.`;
  return `${opening} ${problemBody(problem, context)}`;
}

function problemBody(problem: FileActionProblem, context: ProblemContext): string {
  const { path } = context;
  const inside = context.workspace === undefined ? 'the workspace' : `the workspace (${context.workspace})`;
  switch (problem.kind) {
    case 'invalid_path':
      return problem.reason === 'empty'
        ? `The path is empty: give a file path relative to ${inside}, such as src/index.ts.`
        : 'The path holds a NUL character, which no file name can contain.';
    case 'outside_workspace':
      return `${outsideText(problem.reason)} The file tools only reach files inside ${inside}: give a path relative to it, such as src/index.ts.`;
    case 'hidden_path':
      return 'That path is in a folder the sandbox keeps hidden (application data or a secret such as ~/.ssh); it cannot be read or changed.';
    case 'not_found':
      return problem.action === 'read'
        ? 'No such file in the workspace. List the folder (run_command ls) to find the right name.'
        : 'No such file in the workspace. To create it, use write_file with its whole content.';
    case 'not_a_file':
      return problem.actual === 'directory'
        ? `${path} is a folder, not a file. List it with run_command (ls ${path}).`
        : `${path} is not a regular file (a device, socket or pipe); the file tools only handle regular files.`;
    case 'parent_not_a_folder':
      return 'A part of the path on the way to it is a file, not a folder, so the file cannot be there.';
    case 'not_text':
      return notTextText(problem.reason);
    case 'too_large':
      return `The file is ${megabytes(problem.bytes)}; the file tools handle files up to ${megabytes(problem.limit)}. Use run_command (grep -n, sed -n 'A,Bp', head) to work on parts of it.`;
    case 'changed_since_read':
      return 'The file changed since you last read it (by a command or by the person), so your edit may be based on old content. Read it again with read_file and make the edit against what it holds now.';
    case 'path_changed':
      return 'A folder or link on the way to it was replaced while it was being opened; nothing was read or written. Try again.';
    case 'line_range':
      return `The file has ${plural(problem.lineCount, 'line')}, so start_line ${problem.startLine} is past its end.`;
    case 'edit_blocks':
      return editBlocksText(problem.failures, context.blockCount);
  }
}

function outsideText(reason: OutsideReason): string {
  switch (reason) {
    case 'absolute':
      return 'That absolute path is outside the workspace.';
    case 'home':
      return 'A path starting with ~ names the home folder, which is outside the workspace.';
    case 'parent':
      return 'The path climbs out of the workspace with "..".';
    case 'symlink':
      return 'The path leads out of the workspace through a symbolic link; the file tools do not follow links out of it.';
  }
}

function notTextText(reason: NotTextReason): string {
  const advice = 'read_file, write_file and edit_file handle UTF-8 text only; use run_command for this file.';
  switch (reason) {
    case 'binary':
      return `The file looks binary (it holds NUL bytes). ${advice}`;
    case 'utf16':
      return `The file is UTF-16 text (it starts with a UTF-16 byte-order mark). ${advice}`;
    case 'not_utf8':
      return `The file is not valid UTF-8 (perhaps Latin-1 or another legacy encoding), and rewriting it as UTF-8 would change bytes you did not edit. ${advice}`;
  }
}

function editBlocksText(failures: readonly EditBlockFailure[], blockCount: number | undefined): string {
  const summary =
    blockCount === undefined
      ? `${plural(failures.length, 'edit')} failed, so none was applied.`
      : `${failures.length} of ${plural(blockCount, 'edit')} failed, so none was applied.`;
  const parts = failures.map(blockFailureText);
  return [
    summary,
    ...parts,
    'Send all the edits again once fixed (read_file shows the current text if you are unsure).',
  ].join('\n\n');
}

function blockFailureText(failure: EditBlockFailure): string {
  const label = `Edit ${failure.block}:`;
  switch (failure.kind) {
    case 'empty_old_text':
      return `${label} old_text is empty. Put the lines next to the change in old_text and repeat them in new_text with your addition; to create a file, use write_file.`;
    case 'ambiguous':
      return `${label} old_text occurs ${failure.matches.length} times (at ${failure.matches.map(rangeText).join(', ')}). Include more of the surrounding lines in old_text so that it matches exactly once.`;
    case 'overlap':
      return `${label} its old_text overlaps the text edit ${failure.otherBlock} changes (${rangeText(failure.lines)}). Merge the two into one edit.`;
    case 'not_found':
      return notFoundText(label, failure);
  }
}

function notFoundText(label: string, failure: Extract<EditBlockFailure, { kind: 'not_found' }>): string {
  const lines = [
    `${label} old_text was not found in the file (it must match exactly, spaces and indentation included).`,
  ];
  if (failure.lineNumberMatches.length > 0) {
    lines.push(
      `It matches at ${failure.lineNumberMatches.map(rangeText).join(', ')} without the line numbers read_file shows: leave those numbers and the tab after them out of old_text.`,
    );
  } else if (failure.whitespaceMatches.length > 0) {
    lines.push(
      `It matches if whitespace is ignored: ${failure.whitespaceMatches.map(rangeText).join(', ')}. Copy those lines exactly, with their indentation and line breaks.`,
    );
  }
  if (failure.closest === null) {
    lines.push('No lines of the file look like it; read the file again with read_file.');
  } else {
    lines.push(closestText(failure.closest));
  }
  return lines.join('\n');
}

function closestText(closest: ClosestLines): string {
  const shown = closest.lines.slice(0, MAX_SHOWN_LINES);
  const more = closest.lines.length - shown.length;
  const text = [
    `The closest lines in the file (${rangeText(closest.range)}):`,
    numberedLines(shown, closest.range.startLine),
    ...(more > 0 ? [`… and ${plural(more, 'more line')}`] : []),
  ];
  const difference = closest.firstDifference;
  if (difference !== null) {
    text.push(
      `They first differ at line ${difference.line}: the file has ${JSON.stringify(difference.fileLine)}, your old_text has ${JSON.stringify(difference.oldLine)}.`,
    );
  }
  return text.join('\n');
}

function rangeText(range: LineRange): string {
  return range.startLine === range.endLine
    ? `line ${range.startLine}`
    : `lines ${range.startLine}-${range.endLine}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
