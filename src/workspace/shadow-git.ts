/**
 * Checkpoints of a workspace in a shadow git repository (issue 8 item 3): a commit of the whole worktree after
 * each step, the diff between any two, and a restore that puts the files back, itself undoable.
 *
 * The shadow repository lives in our data dir (e.g. DATA/checkpoints/<workspace id>.git), never inside the
 * workspace, and git works on the workspace through GIT_DIR/GIT_WORK_TREE: the workspace's own `.git` is never
 * read or written (git never records or checks out a path named `.git`). Its settings and the neutralised
 * attributes are in git-environment.ts; what a checkpoint leaves out is in shadow-stage.ts and
 * checkpoint-limits.ts; what a restore leaves alone in restore-plan.ts; docs/checkpoints.md says it all for
 * people.
 *
 * One operation runs at a time per shadow repository (checkpoint-lock.ts). Commits are on the branch
 * `checkpoints`, each the child of the one before, so every checkpoint stays reachable.
 *
 * @example
 * const shadow = new ShadowGit({ workspaceRoot: '/home/ana/project', shadowDir: `${dataDir}/checkpoints/${id}.git` });
 * const before = await shadow.snapshot('before: npm test');
 * // … the step runs …
 * const after = await shadow.snapshot('after: npm test');
 * const { text, files } = await shadow.diff(before.commit, after.commit);
 * const { undoCommit } = await shadow.restore(before.commit); // and shadow.restore(undoCommit) undoes it
 */
import { resolve } from 'node:path';
import { displayPath } from '../core/checkpoints/git-records.ts';
import { type CheckpointLimits, DEFAULT_CHECKPOINT_LIMITS } from './checkpoint-limits.ts';
import { exclusively } from './checkpoint-lock.ts';
import {
  type CheckpointDiff,
  type RestoreResult,
  type SnapshotResult,
  shownChange,
  shownSkip,
  totals,
  type WorktreeDiff,
} from './checkpoint-results.ts';
import { DEFAULT_BASE_ENVIRONMENT } from './git-environment.ts';
import { pathsToLeaveAlone } from './restore-plan.ts';
import { ShadowRepository } from './shadow-repository.ts';
import { stageWorktree } from './shadow-stage.ts';

export type {
  CheckpointDiff,
  CheckpointFileChange,
  LeftAloneReason,
  RestoreResult,
  SkippedFile,
  SnapshotResult,
  WorktreeDiff,
} from './checkpoint-results.ts';

export interface ShadowGitOptions {
  workspaceRoot: string;
  /** The shadow repository's directory, created when missing; must not be inside the workspace. */
  shadowDir: string;
  limits?: Partial<CheckpointLimits>;
  /** The git executable (default `git`, looked up on the environment's PATH). */
  gitBinary?: string;
  /** The environment git starts from (PATH, HOME…); any GIT_* variable in it is dropped. */
  environment?: Readonly<Record<string, string>>;
  /** Called for every git process started (the bench counts them). */
  onGitProcess?: (args: readonly string[]) => void;
}

export class ShadowGit {
  readonly workspaceRoot: string;
  readonly shadowDir: string;
  readonly limits: CheckpointLimits;
  readonly #repository: ShadowRepository;
  #prepared = false;

  constructor(options: ShadowGitOptions) {
    this.workspaceRoot = resolve(options.workspaceRoot);
    this.shadowDir = resolve(options.shadowDir);
    this.limits = { ...DEFAULT_CHECKPOINT_LIMITS, ...options.limits };
    this.#repository = new ShadowRepository({
      workspaceRoot: this.workspaceRoot,
      shadowDir: this.shadowDir,
      limits: this.limits,
      gitBinary: options.gitBinary ?? 'git',
      base: options.environment ?? DEFAULT_BASE_ENVIRONMENT,
      onGitProcess: options.onGitProcess,
    });
  }

  /** Records the worktree as a checkpoint; when nothing changed since the last one, returns that one. */
  snapshot(label: string): Promise<SnapshotResult> {
    return this.#exclusively(() => this.#snapshot(label));
  }

  /** The latest checkpoint, or null before the first. */
  head(): Promise<string | null> {
    return this.#exclusively(() => this.#repository.head());
  }

  /** What changed from one checkpoint to another. */
  diff(fromCommit: string, toCommit: string): Promise<CheckpointDiff> {
    return this.#exclusively(async () => {
      const fromTree = await this.#repository.treeOf(fromCommit);
      const toTree = await this.#repository.treeOf(toCommit);
      return this.#diffTrees(fromTree, toTree);
    });
  }

  /** What changed from a checkpoint to the worktree as it is now (by the same rules as a snapshot). */
  diffAgainstWorktree(commit: string): Promise<WorktreeDiff> {
    return this.#exclusively(async () => {
      const repository = this.#repository;
      const fromTree = await repository.treeOf(commit);
      const head = await repository.head();
      const staged = await stageWorktree(repository);
      const tree =
        staged.changed || head === null ? await repository.writeTree() : await repository.treeOf(head);
      return { ...(await this.#diffTrees(fromTree, tree)), skipped: staged.skipped.map(shownSkip) };
    });
  }

  /**
   * Puts the worktree back to what `commit` holds, after checkpointing it as it is (`undoCommit`). Files
   * changed since are rewritten, files created since deleted, deleted ones recreated, with their exec bits and
   * symlinks; directories the deletions leave empty are removed. Ignored, oversized and nested-repository
   * paths are never touched, and a path the target holds where such unrecorded content sits now is left alone
   * and reported (restore-plan.ts).
   */
  restore(commit: string): Promise<RestoreResult> {
    return this.#exclusively(async () => {
      const repository = this.#repository;
      const targetTree = await repository.treeOf(commit);
      const undo = await this.#snapshot(`before restoring ${commit}`);
      const undoTree = await repository.treeOf(undo.commit);
      const toTarget = await repository.changes(undoTree, targetTree, false);
      const leave = await pathsToLeaveAlone(this.workspaceRoot, toTarget);
      const appliedTree = leave.length === 0 ? targetTree : await repository.treeWithout(targetTree, leave);
      await repository.checkout(undoTree, appliedTree);
      const skipReasons = new Map(undo.skipped.map((skip) => [skip.path, skip.reason]));
      const leftAlone = leave.map((path) => {
        const shown = displayPath(path);
        return { path: shown, reason: skipReasons.get(shown) ?? ('not-recorded' as const) };
      });
      if (appliedTree === undoTree)
        return { undoCommit: undo.commit, commit: undo.commit, ...totals([]), leftAlone };
      const applied = await repository.changes(undoTree, appliedTree, false);
      const now = await repository.commit(appliedTree, undo.commit, `restored ${commit}`);
      return { undoCommit: undo.commit, commit: now, ...totals(applied), leftAlone };
    });
  }

  async #snapshot(label: string): Promise<SnapshotResult> {
    const repository = this.#repository;
    const head = await repository.head();
    const staged = await stageWorktree(repository);
    const skipped = staged.skipped.map(shownSkip);
    const unchanged = (commit: string): SnapshotResult => ({
      commit,
      created: false,
      ...totals([]),
      files: [],
      skipped,
    });
    if (head !== null && !staged.changed) return unchanged(head);
    const tree = await repository.writeTree();
    const headTree = head === null ? await repository.emptyTree() : await repository.treeOf(head);
    if (head !== null && tree === headTree) return unchanged(head);
    // Both need only the trees: the commit and the line counts overlap.
    const [commit, files] = await Promise.all([
      repository.commit(tree, head, label),
      repository.changes(headTree, tree, false),
    ]);
    return { commit, created: true, ...totals(files), files: files.map(shownChange), skipped };
  }

  async #diffTrees(fromTree: string, toTree: string): Promise<CheckpointDiff> {
    const files = await this.#repository.changes(fromTree, toTree, true);
    const patch = await this.#repository.patch(fromTree, toTree);
    return { ...patch, ...totals(files), files: files.map(shownChange) };
  }

  async #exclusively<T>(operation: () => Promise<T>): Promise<T> {
    if (!this.#prepared) await this.#repository.checkPlaces();
    return exclusively(this.shadowDir, async () => {
      if (!this.#prepared) {
        await this.#repository.initialise();
        this.#prepared = true;
      }
      return operation();
    });
  }
}
