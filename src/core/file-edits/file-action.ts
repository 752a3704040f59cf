/**
 * A file action a model (or a person playing it) puts forward, however it was written: a `read_file`,
 * `write_file` or `edit_file` tool call (file-action-arguments.ts) or a fenced block in plain text
 * (search-replace-blocks.ts). Paths are as written; src/workspace/workspace-files.ts confines them.
 */
import type { EditBlock } from './apply-edit-blocks.ts';

export const READ_FILE_TOOL_NAME = 'read_file';
export const WRITE_FILE_TOOL_NAME = 'write_file';
export const EDIT_FILE_TOOL_NAME = 'edit_file';

export type FileAction =
  /** Lines are 1-based and inclusive; null: from the start, to the end. */
  | { kind: 'read_file'; path: string; startLine: number | null; endLine: number | null }
  | { kind: 'write_file'; path: string; content: string }
  | { kind: 'edit_file'; path: string; edits: EditBlock[] };

export type FileActionKind = FileAction['kind'];

export function isFileActionKind(name: string): name is FileActionKind {
  return name === READ_FILE_TOOL_NAME || name === WRITE_FILE_TOOL_NAME || name === EDIT_FILE_TOOL_NAME;
}
