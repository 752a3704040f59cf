/**
 * What a checkpoint takes, written down once (docs/checkpoints.md repeats these numbers). A checkpoint is an
 * undo for the files a person and a model edit, not a backup: large files and huge trees are left out so a
 * snapshot stays fast and the shadow repository stays small.
 */
export interface CheckpointLimits {
  /** A file larger than this is not recorded; the snapshot lists it under `skipped`. */
  maxFileBytes: number;
  /** A workspace with more files to record is refused with WorkspaceTooLargeError. */
  maxFiles: number;
  /** A diff's text is cut after this many bytes (`truncated: true`); its per-file list is always whole. */
  maxDiffBytes: number;
  /** Any one git process running longer than this is stopped and the operation fails. */
  gitTimeoutMs: number;
}

export const DEFAULT_CHECKPOINT_LIMITS: CheckpointLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxFiles: 100_000,
  maxDiffBytes: 2 * 1024 * 1024,
  gitTimeoutMs: 120_000,
};

/** Why a path in the workspace is not in a checkpoint. */
export type SkipReason =
  /** Larger than maxFileBytes. */
  | 'too-large'
  /** A directory with its own `.git`: another repository, whose files its own history keeps. */
  | 'nested-repository'
  /** A name git refuses to record (a variant of `.git`, such as `.GIT`). */
  | 'invalid-path';

export interface SkippedPath {
  path: string;
  reason: SkipReason;
  /** For 'too-large': the file's size in bytes. */
  sizeBytes?: number;
}
