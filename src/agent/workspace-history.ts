/**
 * What each step did to a conversation's workspace (issue 8 items 3 and 5): a checkpoint in the workspace's
 * shadow git repository before the conversation's first step and after every executed command or applied
 * file action, each step's diff, restores (themselves undoable), and a test run for each run of the
 * conversation's test command.
 *
 * A checkpoint is a step from `parentCommit` to `commit`; restoring "before" a checkpoint puts back its
 * parent. A restore is recorded as a step too (kind `restore`, from the state it replaced to the state it
 * made), so restoring to before it undoes it. The shadow repository is per workspace (several conversations
 * may share one folder); each conversation's chain of checkpoints is its own, so a diff is always taken
 * between the two commits the row names, never against whatever another conversation snapshotted last.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LiveEvent } from '../core/api/events.ts';
import type {
  CheckpointDiffDto,
  FileChangeDto,
  RestoreResultDto,
  WorkspaceChangesDto,
} from '../core/api/workspace-schemas.ts';
import { ConflictError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { testRunMatch, testRunStatus } from '../core/test-runs/test-command-match.ts';
import { parseTestSummary } from '../core/test-runs/test-summary.ts';
import type { Checkpoint } from '../store/checkpoints.ts';
import type { Execution } from '../store/executions.ts';
import type { Store } from '../store/store.ts';
import type { CheckpointLimits } from '../workspace/checkpoint-limits.ts';
import { type CheckpointDiff, type CheckpointFileChange, ShadowGit } from '../workspace/shadow-git.ts';
import { commitWork, isGitRepository } from '../workspace/workspace-repository.ts';

export interface WorkspaceHistoryOptions {
  store: Store;
  events: EventBus;
  /** Shadow repositories live in `<dataDir>/checkpoints/`, never inside a workspace. */
  dataDir: string;
  /** The conversation's workspace folder, resolved (ShellSessions.workspaceFor). */
  workspaceOf: (conversationId: string) => Promise<string>;
  limits?: Partial<CheckpointLimits>;
}

/** Statuses of an execution that ran (or tried to): the workspace may have changed under it. */
const RAN = new Set<Execution['status']>(['completed', 'failed', 'timed-out', 'interrupted']);

export class WorkspaceHistory {
  readonly #options: WorkspaceHistoryOptions;
  readonly #shadows = new Map<string, ShadowGit>();

  constructor(options: WorkspaceHistoryOptions) {
    this.#options = options;
  }

  /** The shadow repository of a workspace folder, named by a hash of its path. */
  shadowFor(workspace: string): ShadowGit {
    let shadow = this.#shadows.get(workspace);
    if (shadow === undefined) {
      const name = createHash('sha256').update(workspace).digest('hex').slice(0, 24);
      shadow = new ShadowGit({
        workspaceRoot: workspace,
        shadowDir: join(this.#options.dataDir, 'checkpoints', `${name}.git`),
        ...(this.#options.limits === undefined ? {} : { limits: this.#options.limits }),
      });
      this.#shadows.set(workspace, shadow);
    }
    return shadow;
  }

  /** Before a step runs: the conversation's first checkpoint in this workspace, when it has none yet. */
  async beforeStep(conversationId: string): Promise<void> {
    const { store } = this.#options;
    const workspace = await this.#options.workspaceOf(conversationId);
    if ((await store.checkpoints.latest(conversationId, workspace)) !== null) return;
    const snapshot = await this.shadowFor(workspace).snapshot(`baseline of conversation ${conversationId}`);
    const checkpoint = await store.checkpoints.create({
      conversationId,
      executionId: null,
      kind: 'baseline',
      workspace,
      commit: snapshot.commit,
      parentCommit: null,
      restoredCheckpointId: null,
      changedFiles: 0,
      insertions: 0,
      deletions: 0,
      skipped: snapshot.skipped.map(({ path, reason }) => ({ path, reason })),
    });
    this.#publish({ type: 'checkpoint-created', conversationId, checkpoint });
  }

  /**
   * After a step ended: its checkpoint, and its test run when it ran the conversation's test command. A
   * step cancelled in the queue never ran, so it has neither.
   */
  async afterStep(execution: Execution): Promise<void> {
    if (!RAN.has(execution.status)) return;
    await this.#recordTestRun(execution);
    const { store } = this.#options;
    const { conversationId } = execution;
    const workspace = await this.#options.workspaceOf(conversationId);
    const previous = await store.checkpoints.latest(conversationId, workspace);
    const shadow = this.shadowFor(workspace);
    const snapshot = await shadow.snapshot(`after ${execution.commandRun.slice(0, 200)}`);
    const parentCommit = previous?.commit ?? null;
    const change =
      parentCommit === null || parentCommit === snapshot.commit
        ? { changedFiles: 0, insertions: 0, deletions: 0 }
        : await shadow.diff(parentCommit, snapshot.commit);
    const checkpoint = await store.checkpoints.create({
      conversationId,
      executionId: execution.id,
      kind: 'step',
      workspace,
      commit: snapshot.commit,
      parentCommit,
      restoredCheckpointId: null,
      changedFiles: change.changedFiles,
      insertions: change.insertions,
      deletions: change.deletions,
      skipped: snapshot.skipped.map(({ path, reason }) => ({ path, reason })),
    });
    this.#publish({ type: 'checkpoint-created', conversationId, checkpoint });
    if (change.changedFiles > 0) await this.#autoCommit(execution, workspace);
  }

  /**
   * The opt-in auto-commit (`settings.autoCommit`): a step that changed files is committed to the workspace's
   * own repository, its message naming the step, so the person's history has one commit per step.
   */
  async #autoCommit(execution: Execution, workspace: string): Promise<void> {
    const { settings } = await this.#options.store.conversations.get(execution.conversationId);
    if (settings.autoCommit !== true || !(await isGitRepository(workspace))) return;
    const step = execution.commandRun.split('\n')[0]!.trim();
    const subject = `mp: ${step.length > 66 ? `${step.slice(0, 65)}…` : step}`;
    await commitWork(workspace, {
      message: `${subject}\n\nA step of ModelProgrammer conversation ${execution.conversationId} (execution ${execution.id}).\n`,
      author: { name: 'ModelProgrammer', email: 'mp@localhost' },
    });
  }

  list(conversationId: string): Promise<Checkpoint[]> {
    return this.#options.store.checkpoints.forConversation(conversationId);
  }

  /** The step's change: from the checkpoint's parent to it (nothing for a baseline). */
  async diff(checkpointId: string): Promise<CheckpointDiffDto> {
    const checkpoint = await this.#options.store.checkpoints.get(checkpointId);
    const base = { checkpointId, from: checkpoint.parentCommit, to: checkpoint.commit };
    if (checkpoint.parentCommit === null || checkpoint.parentCommit === checkpoint.commit) {
      return { ...base, files: [], diff: '', truncated: false };
    }
    const diff = await this.shadowFor(checkpoint.workspace).diff(checkpoint.parentCommit, checkpoint.commit);
    return { ...base, ...shownDiff(diff) };
  }

  /**
   * Puts the workspace's files back as they were before the checkpoint's step (`to: 'after'`: as the step left
   * them), recorded as a `restore` step. Refused while a command of the conversation is queued or running,
   * and when the conversation's workspace is no longer the checkpoint's.
   */
  async restore(checkpointId: string, to: 'before' | 'after' = 'before'): Promise<RestoreResultDto> {
    const { store } = this.#options;
    const target = await store.checkpoints.get(checkpointId);
    const { conversationId } = target;
    const workspace = await this.#options.workspaceOf(conversationId);
    if (workspace !== target.workspace) {
      throw new ConflictError(
        `this checkpoint is of the workspace ${target.workspace}, and the conversation now works in ` +
          `${workspace}; switch the workspace back to restore it`,
      );
    }
    const commit = to === 'before' ? target.parentCommit : target.commit;
    if (commit === null) {
      throw new ConflictError(
        'nothing was recorded before the conversation’s first checkpoint; restore a later step instead',
      );
    }
    if (await store.executions.activeInConversation(conversationId)) {
      throw new ConflictError(
        'a command of this conversation is queued or running; wait for it or interrupt it, then restore',
      );
    }
    const restored = await this.shadowFor(workspace).restore(commit);
    const checkpoint = await store.checkpoints.create({
      conversationId,
      executionId: null,
      kind: 'restore',
      workspace,
      commit: restored.commit,
      // The state the restore replaced: restoring to before this checkpoint undoes the restore.
      parentCommit: restored.undoCommit,
      restoredCheckpointId: target.id,
      changedFiles: restored.changedFiles,
      insertions: restored.insertions,
      deletions: restored.deletions,
      skipped: restored.leftAlone.map(({ path, reason }) => ({ path, reason })),
    });
    this.#publish({ type: 'checkpoint-created', conversationId, checkpoint });
    this.#publish({ type: 'checkpoint-restored', conversationId, checkpointId: target.id });
    return { checkpoint, messagesAfter: await this.#messagesAfter(target) };
  }

  /** Everything that differs between the conversation's first checkpoint and the workspace now. */
  async changes(conversationId: string): Promise<WorkspaceChangesDto> {
    const workspace = await this.#options.workspaceOf(conversationId);
    const first = await this.#options.store.checkpoints.first(conversationId, workspace);
    const gitRepository = await isGitRepository(workspace);
    if (first === null) return { from: null, files: [], diff: '', truncated: false, gitRepository };
    const diff = await this.shadowFor(workspace).diffAgainstWorktree(first.commit);
    return { from: first.commit, ...shownDiff(diff), gitRepository };
  }

  async #recordTestRun(execution: Execution): Promise<void> {
    const { store } = this.#options;
    if (execution.actionRun !== null || execution.status === 'interrupted') return;
    const { settings } = await store.conversations.get(execution.conversationId);
    const testCommand = settings.testCommand?.trim() ?? '';
    const match = testCommand === '' ? null : testRunMatch(execution.commandRun, testCommand);
    if (match === null) return;
    const summary = parseTestSummary(execution.output);
    const status = testRunStatus(match, execution.exitCode, summary);
    if (status === null) return;
    const testRun = await store.testRuns.create({
      conversationId: execution.conversationId,
      executionId: execution.id,
      status,
      runner: summary?.runner ?? null,
      passed: summary?.passed ?? null,
      failed: summary?.failed ?? null,
      skipped: summary?.skipped ?? null,
    });
    this.#publish({ type: 'test-run-created', conversationId: execution.conversationId, testRun });
  }

  /** The messages of the current path after the step's own (its result, else its proposal's message). */
  async #messagesAfter(checkpoint: Checkpoint): Promise<RestoreResultDto['messagesAfter']> {
    const { store } = this.#options;
    const path = await store.messages.path(checkpoint.conversationId);
    let anchor = -1;
    if (checkpoint.executionId !== null) {
      const execution = await store.executions.get(checkpoint.executionId);
      const proposal = execution.proposalId === null ? null : await store.proposals.get(execution.proposalId);
      const ids = [execution.resultMessageId, proposal?.messageId].filter((id) => id != null);
      anchor = Math.max(...ids.map((id) => path.findIndex((message) => message.id === id)), -1);
    }
    const after =
      anchor >= 0
        ? path.slice(anchor + 1)
        : path.filter((message) => message.createdAt > checkpoint.createdAt);
    return after.map((message) => ({
      id: message.id,
      role: message.role,
      preview: message.content.replace(/\s+/g, ' ').trim().slice(0, 120),
    }));
  }

  #publish(event: LiveEvent): void {
    this.#options.events.publish(event);
  }
}

function shownDiff(diff: CheckpointDiff): Pick<CheckpointDiffDto, 'files' | 'diff' | 'truncated'> {
  return { files: diff.files.map(shownFile), diff: diff.text, truncated: diff.truncated };
}

const STATUS: Record<CheckpointFileChange['status'], FileChangeDto['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  T: 'type-changed',
};

function shownFile(file: CheckpointFileChange): FileChangeDto {
  return {
    path: file.path,
    ...(file.oldPath === undefined ? {} : { oldPath: file.oldPath }),
    status: STATUS[file.status],
    binary: file.binary,
    insertions: file.insertions,
    deletions: file.deletions,
  };
}
