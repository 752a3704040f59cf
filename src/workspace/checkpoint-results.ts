/**
 * What checkpoint operations and the workspace's Commit return: paths as text (the byte strings of
 * git-records.ts turned into UTF-8 at this edge), per-file changes and their totals.
 */
import { displayPath, type FileChange } from '../core/checkpoints/git-records.ts';
import type { SkippedPath, SkipReason } from './checkpoint-limits.ts';

/** One file's change, with its path as text. */
export interface CheckpointFileChange extends Omit<FileChange, 'path' | 'oldPath'> {
  path: string;
  oldPath?: string;
}

export interface SkippedFile extends Omit<SkippedPath, 'path'> {
  path: string;
}

export interface ChangeTotals {
  changedFiles: number;
  insertions: number;
  deletions: number;
}

export interface SnapshotResult extends ChangeTotals {
  /** The checkpoint that now holds the worktree: a new one, or the previous one when nothing changed. */
  commit: string;
  created: boolean;
  /** What changed since the previous checkpoint (renames not detected: a move is a deletion and an addition). */
  files: CheckpointFileChange[];
  /** Paths in the worktree this checkpoint does not hold, and why. */
  skipped: SkippedFile[];
}

export interface CheckpointDiff extends ChangeTotals {
  /** A unified diff (`diff --git` format), cut at limits.maxDiffBytes. */
  text: string;
  truncated: boolean;
  /** Every changed file, renames detected. */
  files: CheckpointFileChange[];
}

export interface WorktreeDiff extends CheckpointDiff {
  /** Paths in the worktree the comparison does not include (as a snapshot would skip them). */
  skipped: SkippedFile[];
}

/** Why a restore left a path alone: what sits there now was never recorded (ignored, or appeared meanwhile). */
export type LeftAloneReason = SkipReason | 'not-recorded';

export interface RestoreResult extends ChangeTotals {
  /** The checkpoint of the worktree as it was just before: restore(undoCommit) undoes this restore. */
  undoCommit: string;
  /** The checkpoint of the worktree as it is now (the target's files, less what was left alone). */
  commit: string;
  /** Paths the target holds that were left as they are, because what is there now was never recorded. */
  leftAlone: Array<{ path: string; reason: LeftAloneReason }>;
}

export function totals(files: readonly FileChange[]): ChangeTotals {
  return {
    changedFiles: files.length,
    insertions: files.reduce((sum, file) => sum + file.insertions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
  };
}

export function shownChange(change: FileChange): CheckpointFileChange {
  const { path, oldPath, ...rest } = change;
  return oldPath === undefined
    ? { ...rest, path: displayPath(path) }
    : { ...rest, path: displayPath(path), oldPath: displayPath(oldPath) };
}

export function shownSkip(skip: SkippedPath): SkippedFile {
  return { ...skip, path: displayPath(skip.path) };
}
