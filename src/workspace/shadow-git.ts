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
import { mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { displayPath, type FileChange, parseRawNumstat } from '../core/checkpoints/git-records.ts';
import { GitFailedError, InvalidRequestError, NotFoundError, WorkspaceChangedError } from '../core/errors.ts';
import {
  type CheckpointLimits,
  DEFAULT_CHECKPOINT_LIMITS,
  type SkippedPath,
  type SkipReason,
} from './checkpoint-limits.ts';
import { exclusively } from './checkpoint-lock.ts';
import { DEFAULT_BASE_ENVIRONMENT, SHADOW_ATTRIBUTES, shadowEnvironment } from './git-environment.ts';
import { type GitResult, gitOutput, runGit } from './git-process.ts';
import { pathsToLeaveAlone } from './restore-plan.ts';
import { stageWorktree } from './shadow-stage.ts';

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

export type LeftAloneReason = SkipReason | 'not-recorded';

export interface RestoreResult extends ChangeTotals {
  /** The checkpoint of the worktree as it was just before: restore(undoCommit) undoes this restore. */
  undoCommit: string;
  /** The checkpoint of the worktree as it is now (the target's files, less what was left alone). */
  commit: string;
  /** Paths the target holds that were left as they are, because what is there now was never recorded. */
  leftAlone: Array<{ path: string; reason: LeftAloneReason }>;
}

const BRANCH = 'refs/heads/checkpoints';
const RESTORE_INDEX = 'mp-restore-index';
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function totals(files: readonly FileChange[]): ChangeTotals {
  return {
    changedFiles: files.length,
    insertions: files.reduce((sum, file) => sum + file.insertions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
  };
}

function shownChange(change: FileChange): CheckpointFileChange {
  const { path, oldPath, ...rest } = change;
  return oldPath === undefined
    ? { ...rest, path: displayPath(path) }
    : { ...rest, path: displayPath(path), oldPath: displayPath(oldPath) };
}

function shownSkip(skip: SkippedPath): SkippedFile {
  return { ...skip, path: displayPath(skip.path) };
}

function nulList(paths: readonly string[]): Buffer {
  return Buffer.from(paths.map((path) => `${path}\0`).join(''), 'latin1');
}

function firstLine(output: Buffer): string {
  return output.toString('latin1').split('\n')[0]?.trim() ?? '';
}

export class ShadowGit {
  readonly workspaceRoot: string;
  readonly shadowDir: string;
  readonly limits: CheckpointLimits;
  readonly #gitBinary: string;
  readonly #base: Readonly<Record<string, string>>;
  readonly #onGitProcess: ((args: readonly string[]) => void) | undefined;
  /** Commit → tree: objects never change, so this never goes stale. */
  readonly #trees = new Map<string, string>();
  #emptyTree: string | null = null;
  #prepared = false;

  constructor(options: ShadowGitOptions) {
    this.workspaceRoot = resolve(options.workspaceRoot);
    this.shadowDir = resolve(options.shadowDir);
    this.limits = { ...DEFAULT_CHECKPOINT_LIMITS, ...options.limits };
    this.#gitBinary = options.gitBinary ?? 'git';
    this.#base = options.environment ?? DEFAULT_BASE_ENVIRONMENT;
    this.#onGitProcess = options.onGitProcess;
  }

  /** Records the worktree as a checkpoint; when nothing changed since the last one, returns that one. */
  snapshot(label: string): Promise<SnapshotResult> {
    return this.#exclusively(() => this.#snapshot(label));
  }

  /** The latest checkpoint, or null before the first. */
  head(): Promise<string | null> {
    return this.#exclusively(() => this.#head());
  }

  /** What changed from one checkpoint to another. */
  diff(fromCommit: string, toCommit: string): Promise<CheckpointDiff> {
    return this.#exclusively(async () => {
      const fromTree = await this.#treeOf(fromCommit);
      const toTree = await this.#treeOf(toCommit);
      return this.#diffTrees(fromTree, toTree);
    });
  }

  /** What changed from a checkpoint to the worktree as it is now (by the same rules as a snapshot). */
  diffAgainstWorktree(commit: string): Promise<WorktreeDiff> {
    return this.#exclusively(async () => {
      const fromTree = await this.#treeOf(commit);
      const head = await this.#head();
      const staged = await stageWorktree(this.#stagingContext());
      const tree = staged.changed || head === null ? await this.#writeTree() : await this.#treeOf(head);
      return { ...(await this.#diffTrees(fromTree, tree)), skipped: staged.skipped.map(shownSkip) };
    });
  }

  /**
   * Puts the worktree back to what `commit` holds, after checkpointing it as it is (`undoCommit`). Files
   * changed since are rewritten, files created since deleted, deleted ones recreated, with their modes and
   * symlinks; directories left empty by the deletions are removed. Ignored, oversized and nested-repository
   * paths are never touched, and a path the target holds where such unrecorded content sits now is left alone
   * and reported (restore-plan.ts).
   */
  restore(commit: string): Promise<RestoreResult> {
    return this.#exclusively(async () => {
      const targetTree = await this.#treeOf(commit);
      const undo = await this.#snapshot(`before restoring ${commit}`);
      const undoTree = await this.#treeOf(undo.commit);
      const toTarget = await this.#changes(undoTree, targetTree, false);
      const leave = await pathsToLeaveAlone(this.workspaceRoot, toTarget);
      const appliedTree = leave.length === 0 ? targetTree : await this.#treeWithout(targetTree, leave);
      await this.#checkout(undoTree, appliedTree);
      const applied = appliedTree === undoTree ? [] : await this.#changes(undoTree, appliedTree, false);
      const now =
        appliedTree === undoTree
          ? undo.commit
          : await this.#commit(appliedTree, undo.commit, `restored ${commit}`);
      const skipReasons = new Map(undo.skipped.map((skip) => [skip.path, skip.reason]));
      return {
        undoCommit: undo.commit,
        commit: now,
        ...totals(applied),
        leftAlone: leave.map((path) => {
          const shown = displayPath(path);
          return { path: shown, reason: skipReasons.get(shown) ?? 'not-recorded' };
        }),
      };
    });
  }

  async #snapshot(label: string): Promise<SnapshotResult> {
    const head = await this.#head();
    const staged = await stageWorktree(this.#stagingContext());
    const skipped = staged.skipped.map(shownSkip);
    const unchanged = (commit: string): SnapshotResult => ({
      commit,
      created: false,
      changedFiles: 0,
      insertions: 0,
      deletions: 0,
      files: [],
      skipped,
    });
    if (head !== null && !staged.changed) return unchanged(head);
    const tree = await this.#writeTree();
    const headTree = head === null ? await this.#theEmptyTree() : await this.#treeOf(head);
    if (head !== null && tree === headTree) return unchanged(head);
    const commit = await this.#commit(tree, head, label);
    const files = await this.#changes(headTree, tree, false);
    return { commit, created: true, ...totals(files), files: files.map(shownChange), skipped };
  }

  async #diffTrees(fromTree: string, toTree: string): Promise<CheckpointDiff> {
    const files = await this.#changes(fromTree, toTree, true);
    const patch = await this.#git(
      ['diff-tree', '-r', '-p', '-M', '--no-ext-diff', '--no-textconv', '--no-color', fromTree, toTree],
      { maxOutputBytes: this.limits.maxDiffBytes },
    );
    return {
      text: patch.stdout.toString('utf8'),
      truncated: patch.truncated,
      ...totals(files),
      files: files.map(shownChange),
    };
  }

  async #changes(fromTree: string, toTree: string, renames: boolean): Promise<FileChange[]> {
    const output = await this.#git([
      'diff-tree',
      '-r',
      '-z',
      renames ? '-M' : '--no-renames',
      '--raw',
      '--numstat',
      fromTree,
      toTree,
    ]);
    return parseRawNumstat(output.stdout);
  }

  /** The tree of a checkpoint; NotFoundError for anything that is not a commit of this repository. */
  async #treeOf(commit: string): Promise<string> {
    const known = this.#trees.get(commit);
    if (known !== undefined) return known;
    if (!OBJECT_ID.test(commit)) throw new NotFoundError('checkpoint', commit);
    const result = await this.#run(['rev-parse', '--verify', '--quiet', `${commit}^{commit}^{tree}`]);
    const tree = firstLine(result.stdout);
    if (result.exitCode !== 0 || !OBJECT_ID.test(tree)) throw new NotFoundError('checkpoint', commit);
    this.#trees.set(commit, tree);
    return tree;
  }

  async #theEmptyTree(): Promise<string> {
    this.#emptyTree ??= firstLine((await this.#git(['hash-object', '-t', 'tree', '--stdin'])).stdout);
    return this.#emptyTree;
  }

  async #writeTree(): Promise<string> {
    return firstLine((await this.#git(['write-tree'])).stdout);
  }

  async #commit(tree: string, parent: string | null, label: string): Promise<string> {
    const parentArgs = parent === null ? [] : ['-p', parent];
    const commit = firstLine(
      (await this.#git(['commit-tree', tree, ...parentArgs], { input: label })).stdout,
    );
    // The expected old value makes this a compare-and-swap: a branch moved by anyone else is an error.
    await this.#git(['update-ref', BRANCH, commit, parent ?? '']);
    this.#trees.set(commit, tree);
    return commit;
  }

  /** `tree` without `paths`, built in a scratch index so the real one keeps describing the worktree. */
  async #treeWithout(tree: string, paths: readonly string[]): Promise<string> {
    const indexFile = join(this.shadowDir, RESTORE_INDEX);
    await this.#git(['read-tree', tree], { indexFile });
    await this.#git(['update-index', '--force-remove', '-z', '--stdin'], {
      indexFile,
      input: nulList(paths),
    });
    const without = firstLine((await this.#git(['write-tree'], { indexFile })).stdout);
    await rm(indexFile, { force: true });
    return without;
  }

  /** git's own two-tree checkout: refuses, rather than overwrites, a file that changed since `fromTree`. */
  async #checkout(fromTree: string, toTree: string): Promise<void> {
    if (fromTree === toTree) return;
    const result = await this.#run(['read-tree', '-m', '-u', fromTree, toTree]);
    if (result.exitCode === 0) return;
    const refusal = result.stderr
      .split('\n')
      .find((line) => /not uptodate|would be (overwritten|removed|lost)/.test(line));
    if (refusal !== undefined) throw new WorkspaceChangedError(refusal.replace(/^error: /, ''));
    throw new GitFailedError(['read-tree', '-m', '-u', fromTree, toTree], result.stderr, result.exitCode);
  }

  async #head(): Promise<string | null> {
    try {
      const commit = (await readFile(join(this.shadowDir, BRANCH), 'latin1')).trim();
      return OBJECT_ID.test(commit) ? commit : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  #stagingContext() {
    return {
      workspaceRoot: this.workspaceRoot,
      shadowDir: this.shadowDir,
      limits: this.limits,
      git: (args: readonly string[], options?: { input?: Buffer | string; indexFile?: string }) =>
        this.#git(args, options),
    };
  }

  #environment(indexFile?: string): Record<string, string> {
    return shadowEnvironment({
      base: this.#base,
      shadowDir: this.shadowDir,
      workspaceRoot: this.workspaceRoot,
      ...(indexFile === undefined ? {} : { indexFile }),
    });
  }

  #run(
    args: readonly string[],
    options: { input?: Buffer | string; indexFile?: string; maxOutputBytes?: number } = {},
  ): Promise<GitResult> {
    return runGit({
      gitBinary: this.#gitBinary,
      args,
      environment: this.#environment(options.indexFile),
      input: options.input,
      timeoutMs: this.limits.gitTimeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      onSpawn: this.#onGitProcess,
    });
  }

  #git(
    args: readonly string[],
    options: { input?: Buffer | string; indexFile?: string; maxOutputBytes?: number } = {},
  ): Promise<GitResult> {
    return gitOutput({
      gitBinary: this.#gitBinary,
      args,
      environment: this.#environment(options.indexFile),
      input: options.input,
      timeoutMs: this.limits.gitTimeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      onSpawn: this.#onGitProcess,
    });
  }

  async #exclusively<T>(operation: () => Promise<T>): Promise<T> {
    if (!this.#prepared) await this.#checkPlaces();
    return exclusively(this.shadowDir, async () => {
      if (!this.#prepared) {
        await this.#initialise();
        this.#prepared = true;
      }
      return operation();
    });
  }

  /** The workspace must be a directory, and the shadow repository outside it (or the two would record each other). */
  async #checkPlaces(): Promise<void> {
    const workspace = await stat(this.workspaceRoot).catch(() => null);
    if (workspace === null || !workspace.isDirectory()) {
      throw new InvalidRequestError(`The workspace ${this.workspaceRoot} is not a directory.`, 'workspace');
    }
    await mkdir(this.shadowDir, { recursive: true, mode: 0o700 });
    const [workspaceReal, shadowReal] = await Promise.all([
      realpath(this.workspaceRoot),
      realpath(this.shadowDir),
    ]);
    const inside = relative(workspaceReal, shadowReal);
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith('/'))) {
      throw new InvalidRequestError(
        `The checkpoint repository ${this.shadowDir} is inside the workspace ${this.workspaceRoot}: put it in the data dir.`,
      );
    }
  }

  async #initialise(): Promise<void> {
    const headFile = await stat(join(this.shadowDir, 'HEAD')).catch(() => null);
    if (headFile === null) {
      const environment = this.#environment();
      delete environment.GIT_DIR;
      delete environment.GIT_WORK_TREE;
      await gitOutput({
        gitBinary: this.#gitBinary,
        args: ['init', '--bare', '--quiet', '--template=', '--initial-branch=checkpoints', this.shadowDir],
        environment,
        timeoutMs: this.limits.gitTimeoutMs,
        onSpawn: this.#onGitProcess,
      });
    }
    const attributes = join(this.shadowDir, 'info', 'attributes');
    const current = await readFile(attributes, 'utf8').catch(() => null);
    if (current !== SHADOW_ATTRIBUTES) {
      await mkdir(dirname(attributes), { recursive: true, mode: 0o700 });
      await writeFile(attributes, SHADOW_ATTRIBUTES, { mode: 0o600 });
    }
  }
}
