/**
 * API shapes for what a conversation's work did to its workspace (issue 8): checkpoints of the workspace
 * after each step, their diffs and restores, and the runs of the conversation's test command.
 */
import { z } from 'zod';

const id = z.string().min(1).max(100);

export const CHECKPOINT_KINDS = ['baseline', 'step', 'restore'] as const;

/** A file a snapshot left out, and why (too large, or past the file count). */
export const SkippedFileSchema = z.object({ path: z.string(), reason: z.string() });

export const CheckpointSchema = z.object({
  id,
  conversationId: id,
  /** The command or file action after which it was taken; null for a baseline or a restore's own snapshot. */
  executionId: id.nullable(),
  /** The message that reports the step (its execution's result); null for a baseline or a restore. */
  messageId: id.nullable(),
  /**
   * `baseline`: the workspace before the conversation's first step; `step`: after one; `restore`: a restore,
   * from the state it replaced (parentCommit) to the state it made, so restoring to before it undoes it.
   */
  kind: z.enum(CHECKPOINT_KINDS),
  workspace: z.string(),
  /** The snapshot's commit in the shadow repository, and the one its diff is taken from. */
  commit: z.string(),
  parentCommit: z.string().nullable(),
  /** For a `restore` checkpoint: the checkpoint whose state was put back after it. */
  restoredCheckpointId: id.nullable(),
  changedFiles: z.number().int(),
  insertions: z.number().int(),
  deletions: z.number().int(),
  skipped: z.array(SkippedFileSchema),
  accountId: id.nullable(),
  createdAt: z.string(),
});
export type CheckpointDto = z.infer<typeof CheckpointSchema>;
export const CheckpointListSchema = z.object({ checkpoints: z.array(CheckpointSchema) });

export const FILE_CHANGE_STATUSES = ['added', 'modified', 'deleted', 'renamed', 'type-changed'] as const;
export const FileChangeSchema = z.object({
  path: z.string(),
  /** For a rename, the path before it. */
  oldPath: z.string().optional(),
  status: z.enum(FILE_CHANGE_STATUSES),
  binary: z.boolean(),
  insertions: z.number().int(),
  deletions: z.number().int(),
});
export type FileChangeDto = z.infer<typeof FileChangeSchema>;

/** A unified diff (git's) and the files it touches. */
export const CheckpointDiffSchema = z.object({
  checkpointId: id,
  from: z.string().nullable(),
  to: z.string(),
  files: z.array(FileChangeSchema),
  diff: z.string(),
  /** True when the diff text was cut at the size the API sends (the file list is complete). */
  truncated: z.boolean(),
});
export type CheckpointDiffDto = z.infer<typeof CheckpointDiffSchema>;

export const RestoreCheckpointBody = z.strictObject({
  /** `before` (default): the workspace as it was before this checkpoint's step; `after`: as the step left it. */
  to: z.enum(['before', 'after']).optional(),
});

export const RestoreResultSchema = z.object({
  /** The restore, recorded as a step (kind `restore`): restoring to before it undoes the restore. */
  checkpoint: CheckpointSchema,
  /** The messages of the current path that came after the restored step, oldest first. */
  messagesAfter: z.array(z.object({ id, role: z.string(), preview: z.string() })),
});
export type RestoreResultDto = z.infer<typeof RestoreResultSchema>;

export const TEST_RUN_STATUSES = ['passed', 'failed'] as const;
export const TestRunSchema = z.object({
  id,
  conversationId: id,
  executionId: id,
  /** From the exit code: 0 passed, anything else failed. */
  status: z.enum(TEST_RUN_STATUSES),
  /** The runner whose summary was recognised (vitest, jest, node:test, pytest, go, cargo); null if none. */
  runner: z.string().nullable(),
  passed: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  skipped: z.number().int().nullable(),
  createdAt: z.string(),
});
export type TestRunDto = z.infer<typeof TestRunSchema>;
export const TestRunListSchema = z.object({ testRuns: z.array(TestRunSchema) });

export const WORKSPACE_ENTRY_KINDS = ['file', 'dir', 'symlink', 'other'] as const;

/** One level of the workspace's tree (the panel opens folders one at a time). */
export const WorkspaceTreeSchema = z.object({
  /** The folder listed, relative to the workspace ('' for its root). */
  dir: z.string(),
  entries: z.array(
    z.object({
      /** Relative to the workspace. */
      path: z.string(),
      name: z.string(),
      kind: z.enum(WORKSPACE_ENTRY_KINDS),
      size: z.number().int(),
    }),
  ),
  /** True when the folder holds more entries than one answer lists. */
  truncated: z.boolean(),
});
export type WorkspaceTreeDto = z.infer<typeof WorkspaceTreeSchema>;
export const WorkspaceTreeQuery = z.strictObject({ dir: z.string().max(4096).optional() });

/** A file of the workspace as text, for reading (never for editing: edits are proposals). */
export const WorkspaceFileSchema = z.object({
  path: z.string(),
  size: z.number().int(),
  /** Null when the file is binary or not UTF-8 text. */
  content: z.string().nullable(),
  binary: z.boolean(),
  /** True when only the start of a large file is sent. */
  truncated: z.boolean(),
});
export type WorkspaceFileDto = z.infer<typeof WorkspaceFileSchema>;
export const WorkspaceFileQuery = z.strictObject({ path: z.string().min(1).max(4096) });

/** Everything that differs between the conversation's first checkpoint and the workspace now. */
export const WorkspaceChangesSchema = z.object({
  /** The first checkpoint's commit; null when the conversation has none yet. */
  from: z.string().nullable(),
  files: z.array(FileChangeSchema),
  diff: z.string(),
  truncated: z.boolean(),
  /** Whether the workspace holds a git repository of its own (the Commit action needs one). */
  gitRepository: z.boolean(),
});
export type WorkspaceChangesDto = z.infer<typeof WorkspaceChangesSchema>;

export const CommitWorkBody = z.strictObject({ message: z.string().trim().min(1).max(20_000) });
export const CommitWorkResultSchema = z.object({
  /** The new commit in the workspace's own repository. */
  commit: z.string(),
  summary: z.string(),
});
export const CommitMessageDraftSchema = z.object({
  /** A message drafted by the conversation's model from the diff, for the person to edit. */
  message: z.string(),
  modelCallId: z.string().nullable(),
});
