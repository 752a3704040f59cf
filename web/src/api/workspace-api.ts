/**
 * The workspace routes of the API (issue 8): checkpoints with their diffs and restores, test runs, the
 * workspace's files and changes, and committing the work to the workspace's own git repository.
 */
import type { z } from 'zod';
import {
  type CheckpointDiffDto,
  CheckpointDiffSchema,
  type CheckpointDto,
  CheckpointListSchema,
  CommitMessageDraftSchema,
  CommitWorkResultSchema,
  type RestoreResultDto,
  RestoreResultSchema,
  type TestRunDto,
  TestRunListSchema,
  type WorkspaceChangesDto,
  WorkspaceChangesSchema,
  type WorkspaceFileDto,
  WorkspaceFileSchema,
  type WorkspaceTreeDto,
  WorkspaceTreeSchema,
} from '../../../src/core/api/workspace-schemas.ts';
import { conversationPath, request } from './client.ts';

export type Checkpoint = CheckpointDto;
export type CheckpointDiff = CheckpointDiffDto;
export type RestoreResult = RestoreResultDto;
export type TestRun = TestRunDto;
export type WorkspaceTree = WorkspaceTreeDto;
export type WorkspaceEntry = WorkspaceTreeDto['entries'][number];
export type WorkspaceFile = WorkspaceFileDto;
export type WorkspaceChanges = WorkspaceChangesDto;
export type CommitResult = z.infer<typeof CommitWorkResultSchema>;
export type CommitMessageDraft = z.infer<typeof CommitMessageDraftSchema>;

const checkpointPath = (id: string) => `/api/checkpoints/${encodeURIComponent(id)}`;
const workspacePath = (conversationId: string) => `${conversationPath(conversationId)}/workspace`;

export const workspaceApi = {
  /** Oldest first. */
  async checkpoints(conversationId: string): Promise<Checkpoint[]> {
    return (await request('GET', `${conversationPath(conversationId)}/checkpoints`, CheckpointListSchema))
      .checkpoints;
  },
  /** The step's diff: its parent's commit → its own. */
  checkpointDiff(checkpointId: string): Promise<CheckpointDiff> {
    return request('GET', `${checkpointPath(checkpointId)}/diff`, CheckpointDiffSchema);
  },
  /** `before`: the files as they were before the step (or the restore, which undoes it); `after`: as it left them. */
  restore(checkpointId: string, to: 'before' | 'after'): Promise<RestoreResult> {
    return request('POST', `${checkpointPath(checkpointId)}/restore`, RestoreResultSchema, { to });
  },
  async testRuns(conversationId: string): Promise<TestRun[]> {
    return (await request('GET', `${conversationPath(conversationId)}/test-runs`, TestRunListSchema))
      .testRuns;
  },
  /** One level of the tree: `dir` relative to the workspace, '' for its root. */
  tree(conversationId: string, dir: string): Promise<WorkspaceTree> {
    const query = dir === '' ? '' : `?dir=${encodeURIComponent(dir)}`;
    return request('GET', `${workspacePath(conversationId)}/tree${query}`, WorkspaceTreeSchema);
  },
  file(conversationId: string, path: string): Promise<WorkspaceFile> {
    return request(
      'GET',
      `${workspacePath(conversationId)}/file?path=${encodeURIComponent(path)}`,
      WorkspaceFileSchema,
    );
  },
  changes(conversationId: string): Promise<WorkspaceChanges> {
    return request('GET', `${workspacePath(conversationId)}/changes`, WorkspaceChangesSchema);
  },
  /** A draft by the conversation's model, for the person to edit before committing. */
  draftCommitMessage(conversationId: string): Promise<CommitMessageDraft> {
    return request('POST', `${workspacePath(conversationId)}/commit-message`, CommitMessageDraftSchema, {});
  },
  commit(conversationId: string, message: string): Promise<CommitResult> {
    return request('POST', `${workspacePath(conversationId)}/commit`, CommitWorkResultSchema, { message });
  },
};
