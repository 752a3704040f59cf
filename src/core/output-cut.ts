/**
 * Cuts command output for the model's context: the start and the end of a long output are what a
 * person (and a model) reads, so both are kept and the middle gives way to one marker line.
 */

export interface OutputCutOptions {
  /** Upper bound for the result's length in characters, marker included. */
  maxChars: number;
  /** Share of the kept characters given to the start; the rest goes to the end. Default 0.5. */
  headShare?: number;
}

export interface CutOutput {
  text: string;
  linesCut: number;
  charsCut: number;
}

/** Room the marker line needs, with its newlines and a line count of any size. */
const MARKER_RESERVE = 40;

export function cutMarker(linesCut: number): string {
  return `[… ${linesCut} ${linesCut === 1 ? 'line' : 'lines'} cut …]`;
}

/**
 * Keeps the head and tail of `text` within `maxChars`, cutting at line ends where a line end is near,
 * and puts `[… N lines cut …]` on its own line between them. N counts every line removed wholly or in
 * part.
 *
 * @example
 * cutOutput(lines1to1000, { maxChars: 200 }).text
 * // 'line 1\nline 2\n…\n[… 973 lines cut …]\nline 990\n…\nline 1000'
 */
export function cutOutput(text: string, options: OutputCutOptions): CutOutput {
  if (text.length <= options.maxChars) return { text, linesCut: 0, charsCut: 0 };
  const budget = Math.max(0, options.maxChars - MARKER_RESERVE);
  const headShare = Math.min(1, Math.max(0, options.headShare ?? 0.5));
  const headBudget = Math.floor(budget * headShare);
  const tailBudget = budget - headBudget;

  let headEnd = headBudget;
  const lastNewline = headBudget === 0 ? -1 : text.lastIndexOf('\n', headBudget - 1);
  if (lastNewline !== -1 && lastNewline + 1 >= headBudget / 2) headEnd = lastNewline + 1;

  let tailStart = text.length - tailBudget;
  const nextNewline = text.indexOf('\n', tailStart - 1);
  if (nextNewline !== -1 && nextNewline + 1 - tailStart <= tailBudget / 2) tailStart = nextNewline + 1;

  const removed = text.slice(headEnd, tailStart);
  let linesCut = 0;
  for (let index = removed.indexOf('\n'); index !== -1; index = removed.indexOf('\n', index + 1))
    linesCut += 1;
  if (!removed.endsWith('\n')) linesCut += 1;

  const head = text.slice(0, headEnd);
  const tail = text.slice(tailStart);
  const separator = head === '' || head.endsWith('\n') ? '' : '\n';
  const marker = `${separator}${cutMarker(linesCut)}${tail === '' ? '' : '\n'}`;
  return { text: `${head}${marker}${tail}`, linesCut, charsCut: removed.length };
}
