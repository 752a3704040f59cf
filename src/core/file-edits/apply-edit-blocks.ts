/**
 * Search/replace edits on a file's text (issue 8, item 1): the `edit_file {path, edits: [{old_text,
 * new_text}]}` shape open-weight agent datasets use. Each old text must occur exactly once in the ORIGINAL
 * text (so the result does not depend on the order of the blocks), no two blocks may touch the same text,
 * and either every block applies or none does. Every block is checked, so one answer names every problem.
 * Pure: the caller reads and writes the file (src/workspace/workspace-files.ts) and handles line endings
 * (edit-file-content.ts), so `text` and the blocks are in the same (LF) form here.
 */
import {
  LineIndex,
  type LineRange,
  type NotFoundHints,
  notFoundHints,
  occurrences,
} from './closest-lines.ts';

export type { LineRange } from './closest-lines.ts';

export interface EditBlock {
  oldText: string;
  newText: string;
}

/** `block` is 1-based, as the model counts its edits in the message it reads back. */
export type EditBlockFailure =
  | { block: number; kind: 'empty_old_text' }
  | ({ block: number; kind: 'not_found' } & NotFoundHints)
  | { block: number; kind: 'ambiguous'; matches: LineRange[] }
  | { block: number; kind: 'overlap'; otherBlock: number; lines: LineRange };

/** Where one block applies: `[start, end)` of the original text, replaced by `newText`. */
export interface Replacement {
  block: number;
  start: number;
  end: number;
  newText: string;
}

export type ApplyEditBlocksOutcome =
  | { ok: true; text: string; replacements: Replacement[] }
  | { ok: false; failures: EditBlockFailure[] };

/**
 * @example
 * applyEditBlocks('a = 1\nb = 2\n', [{ oldText: 'b = 2', newText: 'b = 3' }])
 * // { ok: true, text: 'a = 1\nb = 3\n', replacements: [{ block: 1, start: 6, end: 11, newText: 'b = 3' }] }
 * applyEditBlocks('x\nx\n', [{ oldText: 'x', newText: 'y' }])
 * // { ok: false, failures: [{ block: 1, kind: 'ambiguous', matches: [{startLine: 1, endLine: 1}, {startLine: 2, endLine: 2}] }] }
 */
export function applyEditBlocks(text: string, blocks: readonly EditBlock[]): ApplyEditBlocksOutcome {
  const index = new LineIndex(text);
  const failures: EditBlockFailure[] = [];
  const replacements: Replacement[] = [];
  blocks.forEach(({ oldText, newText }, position) => {
    const block = position + 1;
    if (oldText === '') {
      failures.push({ block, kind: 'empty_old_text' });
      return;
    }
    const found = occurrences(text, oldText);
    if (found.length === 0) {
      failures.push({ block, kind: 'not_found', ...notFoundHints(text, oldText, index) });
    } else if (found.length > 1) {
      const matches = found.map((start) => index.rangeOf(start, start + oldText.length));
      failures.push({ block, kind: 'ambiguous', matches });
    } else {
      const start = found[0]!;
      replacements.push({ block, start, end: start + oldText.length, newText });
    }
  });
  failures.push(...overlaps(replacements, index));
  if (failures.length > 0) {
    return { ok: false, failures: failures.sort((a, b) => a.block - b.block) };
  }
  return { ok: true, text: spliceReplacements(text, replacements), replacements };
}

/** A block whose match shares text with an earlier-numbered block's match. */
function overlaps(replacements: readonly Replacement[], index: LineIndex): EditBlockFailure[] {
  const byStart = [...replacements].sort((a, b) => a.start - b.start || a.block - b.block);
  const failures: EditBlockFailure[] = [];
  const reported = new Set<number>();
  for (let i = 0; i < byStart.length; i += 1) {
    for (let j = i + 1; j < byStart.length && byStart[j]!.start < byStart[i]!.end; j += 1) {
      const one = byStart[i]!;
      const other = byStart[j]!;
      const [first, second] = one.block < other.block ? [one, other] : [other, one];
      if (reported.has(second.block)) continue;
      reported.add(second.block);
      failures.push({
        block: second.block,
        kind: 'overlap',
        otherBlock: first.block,
        lines: index.rangeOf(Math.max(first.start, second.start), Math.min(first.end, second.end)),
      });
    }
  }
  return failures;
}

/** `text` with each replacement made; the replacements must not overlap (any order). */
export function spliceReplacements(text: string, replacements: readonly Replacement[]): string {
  const ordered = [...replacements].sort((a, b) => a.start - b.start);
  let result = '';
  let from = 0;
  for (const { start, end, newText } of ordered) {
    result += text.slice(from, start) + newText;
    from = end;
  }
  return result + text.slice(from);
}
