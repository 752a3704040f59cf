/**
 * File actions written in plain text, for models without tools and for a person writing the assistant's turn
 * (issue 8, item 1). The form, documented in docs/file-edits.md, is aider's search/replace block inside a
 * fence whose info string names the action and the file:
 *
 *     ```edit src/index.ts
 *     <<<<<<< SEARCH
 *     const port = 80;
 *     =======
 *     const port = 8080;
 *     >>>>>>> REPLACE
 *     ```
 *
 * `write <path>` holds a whole file, `read <path> [start-end]` asks for one. SEARCH and REPLACE sections are
 * whole lines: each line of them ends with a line break, so an empty REPLACE deletes the lines cleanly. Parse
 * problems are values, placed like actions, so the model hears about a malformed block where it wrote it.
 */
import type { EditBlock } from './apply-edit-blocks.ts';
import { type FencedBlock, fencedBlocks } from './fenced-blocks.ts';
import type { FileAction, FileActionKind } from './file-action.ts';

export type TextFileAction =
  | (FileAction & { start: number; end: number; error: null })
  /** A block that names a file action but could not be read; `error` is written for the model. */
  | { kind: FileActionKind; path: string | null; start: number; end: number; error: string };

const ACTION_WORDS: Record<string, FileActionKind> = {
  edit: 'edit_file',
  edit_file: 'edit_file',
  write: 'write_file',
  write_file: 'write_file',
  read: 'read_file',
  read_file: 'read_file',
};

const SEARCH_MARKER = /^<{5,9} ?SEARCH[ \t]*$/;
const DIVIDER_MARKER = /^={5,9}[ \t]*$/;
const REPLACE_MARKER = /^>{5,9} ?REPLACE[ \t]*$/;

/**
 * Every fenced `edit`, `write` and `read` block of `text`, in order. Other fences (shell blocks included)
 * are left to their own parsers; `start` orders the results among them.
 *
 * @example
 * parseFileActions('```write notes.md\n# Notes\n```')
 * // [{ kind: 'write_file', path: 'notes.md', content: '# Notes\n', start: 0, end: 28, error: null }]
 */
export function parseFileActions(text: string): TextFileAction[] {
  const actions: TextFileAction[] = [];
  for (const block of fencedBlocks(text)) {
    const { word, rest } = splitWord(block.info);
    const kind = ACTION_WORDS[word.toLowerCase()];
    if (kind === undefined) continue;
    actions.push(readBlock(kind, rest, block));
  }
  return actions;
}

function readBlock(kind: FileActionKind, rest: string, block: FencedBlock): TextFileAction {
  const { start, end } = block;
  const target = pathAndRest(rest);
  const where = `The \`\`\`${kind.replace('_file', '')} block at line ${block.line}`;
  const invalid = (error: string): TextFileAction => ({
    kind,
    path: target?.path ?? null,
    start,
    end,
    error,
  });
  if (target === null) {
    return invalid(
      `${where} names no file: write the path after the word, as in \`\`\`${kind.replace('_file', '')} src/index.ts.`,
    );
  }
  const { path } = target;
  switch (kind) {
    case 'write_file':
      if (target.rest !== '')
        return invalid(`${where} has text after the path (${target.rest}); put only the path there.`);
      return { kind, path, content: wholeLines(block.lines), start, end, error: null };
    case 'read_file': {
      const range = /^(\d+)\s*-\s*(\d+)?$|^$/.exec(target.rest);
      const [startText, endText] = [range?.[1], range?.[2]];
      const [startLine, endLine] = [
        startText === undefined ? null : Number(startText),
        endText === undefined ? null : Number(endText),
      ];
      if (
        range === null ||
        startLine === 0 ||
        (endLine !== null && startLine !== null && endLine < startLine)
      ) {
        return invalid(
          `${where} has "${target.rest}" after the path; give lines as START-END (e.g. 10-40), or nothing.`,
        );
      }
      if (block.lines.some((line) => line.trim() !== '')) {
        return invalid(`${where} has a body; a read block is empty (to write a file use \`\`\`write).`);
      }
      return { kind, path, startLine, endLine, start, end, error: null };
    }
    case 'edit_file': {
      if (target.rest !== '')
        return invalid(`${where} has text after the path (${target.rest}); put only the path there.`);
      const edits = searchReplaceBlocks(block.lines);
      if (!edits.ok) return invalid(`${where} (${path}) could not be read: ${edits.error}`);
      return { kind, path, edits: edits.edits, start, end, error: null };
    }
  }
}

type BlocksParse = { ok: true; edits: EditBlock[] } | { ok: false; error: string };

/** The SEARCH/REPLACE pairs of an edit block's body. */
function searchReplaceBlocks(lines: readonly string[]): BlocksParse {
  const edits: EditBlock[] = [];
  let state: 'between' | 'search' | 'replace' = 'between';
  let search: string[] = [];
  let replace: string[] = [];
  for (const [index, line] of lines.entries()) {
    const at = `body line ${index + 1}`;
    if (state === 'between') {
      if (SEARCH_MARKER.test(line)) {
        state = 'search';
        search = [];
      } else if (line.trim() !== '') {
        return {
          ok: false,
          error: `${at} is outside a SEARCH/REPLACE block; each block starts with <<<<<<< SEARCH.`,
        };
      }
    } else if (state === 'search') {
      if (DIVIDER_MARKER.test(line)) {
        state = 'replace';
        replace = [];
      } else if (SEARCH_MARKER.test(line) || REPLACE_MARKER.test(line)) {
        return {
          ok: false,
          error: `${at}: a SEARCH section must end with a ======= line before ${line.trim()}.`,
        };
      } else {
        search.push(line);
      }
    } else if (REPLACE_MARKER.test(line)) {
      edits.push({ oldText: wholeLines(search), newText: wholeLines(replace) });
      state = 'between';
    } else if (SEARCH_MARKER.test(line)) {
      return { ok: false, error: `${at}: the REPLACE section before it must end with >>>>>>> REPLACE.` };
    } else {
      replace.push(line);
    }
  }
  if (state !== 'between') {
    return {
      ok: false,
      error: `block ${edits.length + 1} is not finished: it must end with >>>>>>> REPLACE.`,
    };
  }
  if (edits.length === 0) {
    return { ok: false, error: 'it holds no <<<<<<< SEARCH / ======= / >>>>>>> REPLACE block.' };
  }
  return { ok: true, edits };
}

/** Lines as file text: each ends with a line break; no lines, no text. */
function wholeLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function splitWord(info: string): { word: string; rest: string } {
  const match = /^(\S+)\s*(.*)$/.exec(info);
  return match === null ? { word: '', rest: '' } : { word: match[1]!, rest: match[2]!.trim() };
}

/** The path (double-quoted when it holds spaces) and what follows it; null when there is none. */
function pathAndRest(text: string): { path: string; rest: string } | null {
  const quoted = /^"((?:[^"\\]|\\.)+)"\s*(.*)$/.exec(text);
  if (quoted !== null) return { path: quoted[1]!.replace(/\\(.)/g, '$1'), rest: quoted[2]!.trim() };
  const plain = /^(\S+)\s*(.*)$/.exec(text);
  return plain === null ? null : { path: plain[1]!, rest: plain[2]!.trim() };
}
