/**
 * Why a read_file, write_file or edit_file did not happen, as a value (STYLE.md habit 3): each one goes back
 * to the model as text it can act on (edit-failure-text.ts), and to the person's card as the same text.
 */
import type { EditBlockFailure } from './apply-edit-blocks.ts';
import type { NotTextReason } from './text-encoding.ts';

export type OutsideReason =
  /** An absolute path that is not inside the workspace (as the host or the sandbox sees it). */
  | 'absolute'
  /** `~` or `~/…`: the home is not the workspace. */
  | 'home'
  /** `..` climbs above the workspace. */
  | 'parent'
  /** A symlink on the way leads out of the workspace. */
  | 'symlink';

export type FileActionProblem =
  | { kind: 'invalid_path'; reason: 'empty' | 'nul' }
  | { kind: 'outside_workspace'; reason: OutsideReason }
  /** Inside the workspace but under a path the sandbox hides (our data dir, a home secret reached by a link). */
  | { kind: 'hidden_path' }
  | { kind: 'not_found'; action: 'read' | 'edit' }
  | { kind: 'not_a_file'; actual: 'directory' | 'other' }
  /** A folder on the way is a file, so the path cannot be created. */
  | { kind: 'parent_not_a_folder' }
  | { kind: 'not_text'; reason: NotTextReason }
  | { kind: 'too_large'; bytes: number; limit: number }
  /** The file's content hash is not the one the model's last read returned. */
  | { kind: 'changed_since_read' }
  /** A folder or link on the way changed while the path was being opened (a race); nothing was done. */
  | { kind: 'path_changed' }
  | { kind: 'line_range'; startLine: number; lineCount: number }
  | { kind: 'edit_blocks'; failures: EditBlockFailure[] };
