/**
 * An edit or a whole-file write applied to a file's bytes, keeping what the file is (issue 8, item 1): its
 * UTF-8 encoding, its byte-order mark and its line endings. Models write LF, so blocks are matched against
 * the file's LF form; each match is mapped back to the file as it is and only that span is replaced (new
 * text in the file's dominant ending), so every byte outside the edited spans stays as it was, in files with
 * mixed endings too. Pure: src/workspace/workspace-files.ts does the reading and writing.
 */
import { applyEditBlocks, type EditBlock, spliceReplacements } from './apply-edit-blocks.ts';
import type { FileActionProblem } from './file-action-problem.ts';
import { decodeText, encodeText, LfOffsetMap, toLf, withLineEnding } from './text-encoding.ts';

export interface FileContentChange {
  /** What to write. */
  bytes: Uint8Array;
  /** The text before (LF form, no BOM), or null for a new file: for the diff. */
  before: string | null;
  /** The text after (LF form, no BOM). */
  after: string;
}

export type FileContentOutcome =
  | ({ ok: true } & FileContentChange)
  | { ok: false; problem: FileActionProblem };

/**
 * `current` is the file's bytes, or null when it does not exist; then a single block with an empty old text
 * creates it (the form search/replace blocks use for a new file).
 *
 * @example
 * editFileContent(new TextEncoder().encode('a\r\nb\r\n'), [{ oldText: 'b\n', newText: 'c\nd\n' }])
 * // ok, bytes: 'a\r\nc\r\nd\r\n', before: 'a\nb\n', after: 'a\nc\nd\n'
 */
export function editFileContent(
  current: Uint8Array | null,
  blocks: readonly EditBlock[],
): FileContentOutcome {
  if (current === null) {
    const only = blocks.length === 1 ? blocks[0]! : null;
    if (only === null || only.oldText !== '')
      return { ok: false, problem: { kind: 'not_found', action: 'edit' } };
    const after = toLf(only.newText);
    return { ok: true, bytes: encodeText(only.newText, false), before: null, after };
  }
  const decoded = decodeText(current);
  if (!decoded.ok) return { ok: false, problem: { kind: 'not_text', reason: decoded.reason } };
  const { text, bom, lineEnding } = decoded.decoded;
  const before = toLf(text);
  // A last line without a line break is matched as if it had one, so whole-line blocks (search/replace
  // blocks, or an old_text copied with its line break) reach it too; the break is taken off again after.
  const ending = lineEnding === 'crlf' ? '\r\n' : '\n';
  const unterminated = before !== '' && !before.endsWith('\n');
  const [lfText, fileText] = unterminated ? [`${before}\n`, `${text}${ending}`] : [before, text];
  const lfBlocks = blocks.map((block) => ({ oldText: toLf(block.oldText), newText: toLf(block.newText) }));
  const applied = applyEditBlocks(lfText, lfBlocks);
  if (!applied.ok) return { ok: false, problem: { kind: 'edit_blocks', failures: applied.failures } };
  const offsets = new LfOffsetMap(fileText);
  const inFile = applied.replacements.map((replacement) => ({
    ...replacement,
    start: offsets.toOriginal(replacement.start),
    end: offsets.toOriginal(replacement.end),
    newText: withLineEnding(replacement.newText, lineEnding),
  }));
  let written = spliceReplacements(fileText, inFile);
  let after = applied.text;
  if (unterminated && written.endsWith(ending)) {
    written = written.slice(0, -ending.length);
    after = after.slice(0, -1);
  }
  return { ok: true, bytes: encodeText(written, bom), before, after };
}

/**
 * A whole-file write. An existing text file keeps its BOM and line ending (the content is written in it);
 * a file that is not UTF-8 text is not replaced by text (its encoding would silently change).
 *
 * @example
 * writeFileContent(new TextEncoder().encode('old\r\n'), 'new\n')  // ok, bytes: 'new\r\n'
 */
export function writeFileContent(current: Uint8Array | null, content: string): FileContentOutcome {
  if (current === null) {
    return { ok: true, bytes: encodeText(content, false), before: null, after: toLf(content) };
  }
  const decoded = decodeText(current);
  if (!decoded.ok) return { ok: false, problem: { kind: 'not_text', reason: decoded.reason } };
  const { text, bom, lineEnding } = decoded.decoded;
  return {
    ok: true,
    bytes: encodeText(withLineEnding(content, lineEnding), bom),
    before: toLf(text),
    after: toLf(content),
  };
}
