/**
 * What the model reads back after a read_file, write_file or edit_file that worked. Lines are numbered as
 * `cat -n` does (number right-aligned in six columns, a tab, the line), the form agent datasets carry, so a
 * model can name lines in its answer; closest-lines.ts recognises the prefix when a model copies it into an
 * old_text by mistake.
 */

export type FileActionName = 'read_file' | 'write_file' | 'edit_file';

/**
 * @example
 * numberedLines(['a', 'b'], 9)  // '     9\ta\n    10\tb'
 */
export function numberedLines(lines: readonly string[], firstLine: number): string {
  return lines.map((line, index) => `${String(firstLine + index).padStart(6)}\t${line}`).join('\n');
}

export interface ReadResult {
  path: string;
  /** The lines shown, LF form, without their endings. */
  lines: readonly string[];
  startLine: number;
  lineCount: number;
}

/**
 * @example
 * readResultText({ path: 'a.txt', lines: ['x'], startLine: 1, lineCount: 1 })
 * // 'a.txt (1 line)\n     1\tx'
 */
export function readResultText(result: ReadResult): string {
  const { path, lines, startLine, lineCount } = result;
  if (lineCount === 0) return `${path} is empty.`;
  const endLine = startLine + lines.length - 1;
  const whole = startLine === 1 && endLine === lineCount;
  const header = whole
    ? `${path} (${plural(lineCount, 'line')})`
    : `${path}, lines ${startLine}-${endLine} of ${lineCount}${endLine < lineCount ? ` (ask for start_line ${endLine + 1} to read on)` : ''}`;
  return `${header}\n${numberedLines(lines, startLine)}`;
}

export interface ChangeResult {
  action: 'write_file' | 'edit_file';
  path: string;
  created: boolean;
  /** For edit_file: how many blocks were applied. */
  edits?: number;
  lineCount: number;
}

/**
 * @example
 * changeResultText({ action: 'edit_file', path: 'a.ts', created: false, edits: 2, lineCount: 40 })
 * // 'edit_file a.ts: applied 2 edits; the file has 40 lines.'
 */
export function changeResultText(result: ChangeResult): string {
  const { action, path, created, edits, lineCount } = result;
  const what = created
    ? 'created the file'
    : action === 'edit_file'
      ? `applied ${plural(edits ?? 1, 'edit')}`
      : 'replaced the whole file';
  return `${action} ${path}: ${what}; the file has ${plural(lineCount, 'line')}.`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
