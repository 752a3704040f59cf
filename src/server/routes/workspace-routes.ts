import type { WorkspaceHistory } from '../../agent/workspace-history.ts';
import type { WorkspaceView } from '../../agent/workspace-view.ts';
import {
  CheckpointDiffSchema,
  CheckpointListSchema,
  CommitMessageDraftSchema,
  CommitWorkBody,
  CommitWorkResultSchema,
  RestoreCheckpointBody,
  RestoreResultSchema,
  TestRunListSchema,
  WorkspaceChangesSchema,
  WorkspaceFileQuery,
  WorkspaceFileSchema,
  WorkspaceTreeQuery,
  WorkspaceTreeSchema,
} from '../../core/api/workspace-schemas.ts';
import type { Store } from '../../store/store.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

/** What a conversation's work did to its workspace (issue 8): checkpoints, test runs, the workspace view. */
export function workspaceRoutes(options: {
  store: Store;
  history: WorkspaceHistory;
  view: WorkspaceView;
  /** Drafts a commit message from the pending diff with the conversation's model. */
  draftCommitMessage: (conversationId: string) => Promise<{ message: string; modelCallId: string | null }>;
}): ApiRoute[] {
  const { store, history, view } = options;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/checkpoints',
      access: 'read',
      target: 'conversation',
      summary:
        'The workspace’s checkpoints in this conversation, oldest first: its baseline, each step, restores',
      response: CheckpointListSchema,
      handler: async ({ params }) => ({ checkpoints: await history.list(params.id!) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/checkpoints/:id/diff',
      access: 'read',
      target: 'checkpoint',
      summary: 'What the checkpoint’s step changed in the workspace, as a unified diff and a file list',
      response: CheckpointDiffSchema,
      handler: ({ params }) => history.diff(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/checkpoints/:id/restore',
      access: 'run',
      target: 'checkpoint',
      summary:
        'Put the workspace’s files back as they were before the checkpoint’s step (or after it), and say which ' +
        'messages came after; the restore is a checkpoint too, so restoring to before it undoes it',
      body: RestoreCheckpointBody,
      response: RestoreResultSchema,
      handler: ({ params, body }) => history.restore(params.id!, body.to ?? 'before'),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/test-runs',
      access: 'read',
      target: 'conversation',
      summary: 'Every run of the conversation’s test command, oldest first, with its counts where recognised',
      response: TestRunListSchema,
      handler: async ({ params }) => ({ testRuns: await store.testRuns.forConversation(params.id!) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/workspace/tree',
      access: 'read',
      target: 'conversation',
      summary: 'One folder of the workspace (its root when `dir` is left out)',
      query: WorkspaceTreeQuery,
      response: WorkspaceTreeSchema,
      handler: ({ params, query }) => view.tree(params.id!, query.dir ?? ''),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/workspace/file',
      access: 'read',
      target: 'conversation',
      summary: 'A file of the workspace as text, to read (null content when it is binary)',
      query: WorkspaceFileQuery,
      response: WorkspaceFileSchema,
      handler: ({ params, query }) => view.file(params.id!, query.path),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/workspace/changes',
      access: 'read',
      target: 'conversation',
      summary: 'Everything that differs between the conversation’s first checkpoint and the workspace now',
      response: WorkspaceChangesSchema,
      handler: ({ params }) => history.changes(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/workspace/commit-message',
      access: 'run',
      target: 'conversation',
      summary: 'A commit message for the workspace’s pending changes, drafted by the conversation’s model',
      response: CommitMessageDraftSchema,
      handler: ({ params }) => options.draftCommitMessage(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/workspace/commit',
      access: 'run',
      target: 'conversation',
      summary: 'Commit the workspace’s changes to its own git repository with the message given',
      body: CommitWorkBody,
      response: CommitWorkResultSchema,
      handler: ({ params, body, actor }) =>
        view.commit(params.id!, body.message, {
          name: actor.kind === 'account' ? actor.account.username : 'ModelProgrammer',
          email:
            actor.kind === 'account' ? `${actor.account.username}@modelprogrammer.invalid` : 'mp@localhost',
        }),
    }),
  ];
}
