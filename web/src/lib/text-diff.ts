/**
 * The lines that differ between two texts, in the same shape as a parsed git diff (unified-diff.ts), so a
 * proposed write or edit is shown like a checkpoint's diff: hunks with three lines of context, numbered.
 */
import { structuredPatch } from 'diff';
import type { DiffLine } from './unified-diff.ts';

/** Past this the diff could freeze the page; the caller then shows the new text whole. */
const DIFF_TIMEOUT_MS = 300;

/**
 * Null when the texts differ too much to compare in time.
 * @example
 * textDiff('a\nb\n', 'a\nc\n') // → [hunk '@@ -1,2 +1,2 @@', context 'a', removed 'b', added 'c']
 */
export function textDiff(before: string, after: string, context = 3): DiffLine[] | null {
  const patch = structuredPatch('', '', before, after, undefined, undefined, {
    context,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (patch === undefined) return null;
  const lines: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    lines.push({
      kind: 'hunk',
      text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      oldNumber: null,
      newNumber: null,
    });
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = line.slice(1);
      if (mark === '+') lines.push({ kind: 'added', text, oldNumber: null, newNumber: newLine++ });
      else if (mark === '-') lines.push({ kind: 'removed', text, oldNumber: oldLine++, newNumber: null });
      else if (mark === ' ')
        lines.push({ kind: 'context', text, oldNumber: oldLine++, newNumber: newLine++ });
      else lines.push({ kind: 'note', text: line, oldNumber: null, newNumber: null });
    }
  }
  return lines;
}
