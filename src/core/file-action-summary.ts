/**
 * A file action between its two spellings: the edit engine's (`kind`, lines as numbers or null;
 * file-edits/file-action.ts) and the API's (`tool`, lines left out; api/terminal-schemas.ts), and the one
 * line a person reads where a command would stand (lists, search, the execution's `commandRun`).
 */
import type { FileAction as ApiFileAction } from './api/terminal-schemas.ts';
import type { FileAction } from './file-edits/file-action.ts';

export function toApiFileAction(action: FileAction): ApiFileAction {
  switch (action.kind) {
    case 'read_file':
      return {
        tool: 'read_file',
        path: action.path,
        ...(action.startLine === null ? {} : { startLine: action.startLine }),
        ...(action.endLine === null ? {} : { endLine: action.endLine }),
      };
    case 'write_file':
      return { tool: 'write_file', path: action.path, content: action.content };
    case 'edit_file':
      return {
        tool: 'edit_file',
        path: action.path,
        edits: action.edits.map(({ oldText, newText }) => ({ oldText, newText })),
      };
  }
}

export function fromApiFileAction(action: ApiFileAction): FileAction {
  switch (action.tool) {
    case 'read_file':
      return {
        kind: 'read_file',
        path: action.path,
        startLine: action.startLine ?? null,
        endLine: action.endLine ?? null,
      };
    case 'write_file':
      return { kind: 'write_file', path: action.path, content: action.content };
    case 'edit_file':
      return { kind: 'edit_file', path: action.path, edits: action.edits };
  }
}

/**
 * @example
 * fileActionSummary({ tool: 'read_file', path: 'a.ts', startLine: 10, endLine: 20 }) // 'read_file a.ts:10-20'
 * fileActionSummary({ tool: 'edit_file', path: 'a.ts', edits: [e1, e2] })            // 'edit_file a.ts (2 blocks)'
 */
export function fileActionSummary(action: ApiFileAction): string {
  switch (action.tool) {
    case 'read_file': {
      const range =
        action.startLine === undefined && action.endLine === undefined
          ? ''
          : `:${action.startLine ?? 1}-${action.endLine ?? ''}`;
      return `read_file ${action.path}${range}`;
    }
    case 'write_file':
      return `write_file ${action.path} (${action.content.split('\n').length} lines)`;
    case 'edit_file':
      return `edit_file ${action.path} (${action.edits.length} ${action.edits.length === 1 ? 'block' : 'blocks'})`;
  }
}

/**
 * What a person applied instead of the proposed action, in the model's own tool-argument spelling (snake_case
 * JSON), or null when it was applied as proposed.
 *
 * @example
 * changedActionText(proposed, { tool: 'edit_file', path: 'a.ts', edits: [{ oldText: 'x', newText: 'z' }] })
 * // '{"path":"a.ts","edits":[{"old_text":"x","new_text":"z"}]}'
 */
export function changedActionText(
  proposed: ApiFileAction | null,
  applied: ApiFileAction | null,
): string | null {
  if (proposed === null || applied === null) return null;
  if (JSON.stringify(proposed) === JSON.stringify(applied)) return null;
  switch (applied.tool) {
    case 'read_file':
      return JSON.stringify({ path: applied.path, start_line: applied.startLine, end_line: applied.endLine });
    case 'write_file':
      return JSON.stringify({ path: applied.path, content: applied.content });
    case 'edit_file':
      return JSON.stringify({
        path: applied.path,
        edits: applied.edits.map((edit) => ({ old_text: edit.oldText, new_text: edit.newText })),
      });
  }
}
