/**
 * What a model reads when its file action did not happen. The full texts are spelled out for the common
 * cases, so a change in wording is a visible decision.
 */
import { describe, expect, it } from 'vitest';
import { applyEditBlocks } from './apply-edit-blocks.ts';
import { fileActionProblemText } from './edit-failure-text.ts';
import type { FileActionProblem } from './file-action-problem.ts';

const FILE = [
  'import { a } from "./a";',
  '',
  'export function total(items) {',
  '  let sum = 0;',
  '  for (const item of items) sum += item.price;',
  '  return sum;',
  '}',
  '',
].join('\n');

function failureText(blocks: Array<{ oldText: string; newText: string }>): string {
  const outcome = applyEditBlocks(FILE, blocks);
  if (outcome.ok) throw new Error('expected a failure');
  return fileActionProblemText(
    { kind: 'edit_blocks', failures: outcome.failures },
    { action: 'edit_file', path: 'src/total.js', blockCount: blocks.length },
  );
}

describe('fileActionProblemText', () => {
  it('a missing old text: the closest lines, numbered, and the first difference', () => {
    expect(
      failureText([
        { oldText: '  let sum = 0;\n  for (const item of items) sum += item.cost;', newText: '' },
      ]),
    ).toBe(`edit_file src/total.js was not applied; nothing was changed. 1 of 1 edit failed, so none was applied.

Edit 1: old_text was not found in the file (it must match exactly, spaces and indentation included).
The closest lines in the file (lines 4-5):
     4\t  let sum = 0;
     5\t  for (const item of items) sum += item.price;
They first differ at line 5: the file has "  for (const item of items) sum += item.price;", your old_text has "  for (const item of items) sum += item.cost;".

Send all the edits again once fixed (read_file shows the current text if you are unsure).`);
  });

  it('whitespace only: says where it matches if whitespace is ignored', () => {
    const text = failureText([
      { oldText: 'let sum = 0;\nfor (const item of items) sum += item.price;', newText: '' },
    ]);
    expect(text).toContain(
      'It matches if whitespace is ignored: lines 4-5. Copy those lines exactly, with their indentation and line breaks.',
    );
  });

  it('line numbers copied from read_file', () => {
    const text = failureText([{ oldText: '     6\t  return sum;', newText: '' }]);
    expect(text).toContain(
      'It matches at line 6 without the line numbers read_file shows: leave those numbers and the tab after them out of old_text.',
    );
  });

  it('ambiguous, empty and overlapping blocks, each named by its number', () => {
    const text = failureText([
      { oldText: 'sum', newText: 'total' },
      { oldText: '', newText: 'x' },
      { oldText: '  let sum = 0;', newText: '  let sum = 1;' },
      { oldText: 'let sum = 0;\n  for', newText: 'y' },
    ]);
    expect(text).toContain('3 of 4 edits failed, so none was applied.');
    expect(text).toContain(
      'Edit 1: old_text occurs 3 times (at line 4, line 5, line 6). Include more of the surrounding lines in old_text so that it matches exactly once.',
    );
    expect(text).toContain('Edit 2: old_text is empty.');
    expect(text).toContain(
      'Edit 4: its old_text overlaps the text edit 3 changes (line 4). Merge the two into one edit.',
    );
  });

  it('nothing alike in the file', () => {
    expect(failureText([{ oldText: 'zzzz qqqq', newText: '' }])).toContain(
      'No lines of the file look like it; read the file again with read_file.',
    );
  });

  it('the file changed since it was read, and the other refusals', () => {
    const texts = (
      [
        [{ kind: 'changed_since_read' }, 'The file changed since you last read it'],
        [{ kind: 'outside_workspace', reason: 'parent' }, 'climbs out of the workspace with ".."'],
        [{ kind: 'outside_workspace', reason: 'symlink' }, 'through a symbolic link'],
        [
          { kind: 'outside_workspace', reason: 'absolute' },
          'inside the workspace (/workspace): give a path relative to it',
        ],
        [{ kind: 'hidden_path' }, 'the sandbox keeps hidden'],
        [{ kind: 'not_text', reason: 'not_utf8' }, 'not valid UTF-8'],
        [{ kind: 'not_text', reason: 'binary' }, 'looks binary'],
        [
          { kind: 'too_large', bytes: 20 * 1024 * 1024, limit: 8 * 1024 * 1024 },
          'The file is 20.0 MB; the file tools handle files up to 8.0 MB',
        ],
        [
          { kind: 'line_range', startLine: 50, lineCount: 12 },
          'The file has 12 lines, so start_line 50 is past its end.',
        ],
        [{ kind: 'path_changed' }, 'was replaced while it was being opened'],
      ] as Array<[FileActionProblem, string]>
    ).map(([problem, expected]) => {
      const text = fileActionProblemText(problem, {
        action: 'edit_file',
        path: 'src/a.ts',
        workspace: '/workspace',
      });
      expect(text.startsWith('edit_file src/a.ts was not applied; nothing was changed. ')).toBe(true);
      expect(text).toContain(expected);
      return text;
    });
    expect(texts[0]).toBe(
      'edit_file src/a.ts was not applied; nothing was changed. The file changed since you last read it (by a command or by the person), so your edit may be based on old content. Read it again with read_file and make the edit against what it holds now.',
    );
    expect(
      fileActionProblemText({ kind: 'not_found', action: 'read' }, { action: 'read_file', path: 'b.md' }),
    ).toBe(
      'read_file b.md failed. No such file in the workspace. List the folder (run_command ls) to find the right name.',
    );
  });
});
