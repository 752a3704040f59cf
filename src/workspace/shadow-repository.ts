/**
 * The shadow repository itself: where it is, creating it, running git in it (with git-environment.ts's
 * settings), and the few object and branch operations checkpoints are made of. ShadowGit (shadow-git.ts)
 * builds snapshot, diff and restore from these, inside checkpoint-lock.ts's one-at-a-time.
 */
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type FileChange, parseRawNumstat } from '../core/checkpoints/git-records.ts';
import { GitFailedError, InvalidRequestError, NotFoundError, WorkspaceChangedError } from '../core/errors.ts';
import type { CheckpointLimits } from './checkpoint-limits.ts';
import { SHADOW_ATTRIBUTES, shadowEnvironment } from './git-environment.ts';
import { type GitResult, gitOutput, runGit } from './git-process.ts';

export interface GitCallOptions {
  input?: Buffer | string;
  /** A scratch index instead of the shadow's own. */
  indexFile?: string;
  maxOutputBytes?: number;
}

/** The one branch; a loose ref file (refs are never packed: gc.packRefs=false), read directly. */
const BRANCH = 'refs/heads/checkpoints';
const RESTORE_INDEX = 'mp-restore-index';
export const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function firstLine(output: Buffer): string {
  return output.toString('latin1').split('\n')[0]?.trim() ?? '';
}

function nulList(paths: readonly string[]): Buffer {
  return Buffer.from(paths.map((path) => `${path}\0`).join(''), 'latin1');
}

export class ShadowRepository {
  readonly workspaceRoot: string;
  readonly shadowDir: string;
  readonly limits: CheckpointLimits;
  readonly #gitBinary: string;
  readonly #base: Readonly<Record<string, string>>;
  readonly #onGitProcess: ((args: readonly string[]) => void) | undefined;
  /** Commit → tree: objects never change, so this never goes stale. */
  readonly #trees = new Map<string, string>();
  #emptyTree: string | null = null;

  constructor(options: {
    workspaceRoot: string;
    shadowDir: string;
    limits: CheckpointLimits;
    gitBinary: string;
    base: Readonly<Record<string, string>>;
    onGitProcess: ((args: readonly string[]) => void) | undefined;
  }) {
    this.workspaceRoot = options.workspaceRoot;
    this.shadowDir = options.shadowDir;
    this.limits = options.limits;
    this.#gitBinary = options.gitBinary;
    this.#base = options.base;
    this.#onGitProcess = options.onGitProcess;
  }

  /** The workspace must be a directory, and the shadow repository outside it (or each would record the other). */
  async checkPlaces(): Promise<void> {
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

  /** Creates the repository when missing, and (re)writes the attributes that neutralise the workspace's. */
  async initialise(): Promise<void> {
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

  /** The latest checkpoint, or null before the first. */
  async head(): Promise<string | null> {
    try {
      const commit = (await readFile(join(this.shadowDir, BRANCH), 'latin1')).trim();
      return OBJECT_ID.test(commit) ? commit : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** The tree of a checkpoint; NotFoundError for anything that is not a commit of this repository. */
  async treeOf(commit: string): Promise<string> {
    const known = this.#trees.get(commit);
    if (known !== undefined) return known;
    if (!OBJECT_ID.test(commit)) throw new NotFoundError('checkpoint', commit);
    const result = await this.run(['rev-parse', '--verify', '--quiet', `${commit}^{commit}^{tree}`]);
    const tree = firstLine(result.stdout);
    if (result.exitCode !== 0 || !OBJECT_ID.test(tree)) throw new NotFoundError('checkpoint', commit);
    this.#trees.set(commit, tree);
    return tree;
  }

  async emptyTree(): Promise<string> {
    this.#emptyTree ??= firstLine((await this.git(['hash-object', '-t', 'tree', '--stdin'])).stdout);
    return this.#emptyTree;
  }

  async writeTree(): Promise<string> {
    return firstLine((await this.git(['write-tree'])).stdout);
  }

  /** A commit of `tree` on the branch, after `parent` (null: the first). */
  async commit(tree: string, parent: string | null, label: string): Promise<string> {
    const parentArgs = parent === null ? [] : ['-p', parent];
    const commit = firstLine((await this.git(['commit-tree', tree, ...parentArgs], { input: label })).stdout);
    await this.#moveBranch(commit, parent);
    this.#trees.set(commit, tree);
    return commit;
  }

  /**
   * What `git update-ref BRANCH commit parent` does, without a process (a snapshot's sixth): git's own lock
   * protocol (create `<ref>.lock` exclusively, write, rename over the ref), checking first that the branch is
   * still at `parent`. No reflog: core.logAllRefUpdates is off here.
   */
  async #moveBranch(commit: string, parent: string | null): Promise<void> {
    const current = await this.head();
    if (current !== parent) {
      throw new GitFailedError(
        ['update-ref'],
        `the branch is at ${current ?? 'nothing'}, not ${parent ?? 'nothing'}`,
        null,
      );
    }
    const reference = join(this.shadowDir, BRANCH);
    const lock = `${reference}.lock`;
    await mkdir(dirname(reference), { recursive: true, mode: 0o700 });
    await writeFile(lock, `${commit}\n`, { flag: 'wx', mode: 0o600 });
    await rename(lock, reference);
  }

  /** The changes from one tree to another, with line counts; renames detected only when asked. */
  async changes(fromTree: string, toTree: string, renames: boolean): Promise<FileChange[]> {
    const output = await this.git([
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

  /** The unified diff text, cut at the limit. */
  async patch(fromTree: string, toTree: string): Promise<{ text: string; truncated: boolean }> {
    const patch = await this.git(
      ['diff-tree', '-r', '-p', '-M', '--no-ext-diff', '--no-textconv', '--no-color', fromTree, toTree],
      { maxOutputBytes: this.limits.maxDiffBytes },
    );
    return { text: patch.stdout.toString('utf8'), truncated: patch.truncated };
  }

  /** `tree` without `paths`, built in a scratch index so the real one keeps describing the worktree. */
  async treeWithout(tree: string, paths: readonly string[]): Promise<string> {
    const indexFile = join(this.shadowDir, RESTORE_INDEX);
    await this.git(['read-tree', tree], { indexFile });
    await this.git(['update-index', '--force-remove', '-z', '--stdin'], { indexFile, input: nulList(paths) });
    const without = firstLine((await this.git(['write-tree'], { indexFile })).stdout);
    await rm(indexFile, { force: true });
    return without;
  }

  /**
   * git's own two-tree checkout from the index (which holds `fromTree`) to `toTree`: it refuses, rather than
   * overwrites, a file that changed since, and never writes through a symlink.
   */
  async checkout(fromTree: string, toTree: string): Promise<void> {
    if (fromTree === toTree) return;
    const args = ['read-tree', '-m', '-u', fromTree, toTree];
    const result = await this.run(args);
    if (result.exitCode === 0) return;
    const refusal = result.stderr
      .split('\n')
      .find((line) => /not uptodate|would be (overwritten|removed|lost)/.test(line));
    if (refusal !== undefined) throw new WorkspaceChangedError(refusal.replace(/^error: /, ''));
    throw new GitFailedError(args, result.stderr, result.exitCode);
  }

  /** Runs git in the shadow repository; a failure is a result. */
  run(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    return runGit(this.#request(args, options));
  }

  /** Runs git in the shadow repository; a failure is a GitFailedError. */
  git(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    return gitOutput(this.#request(args, options));
  }

  #request(args: readonly string[], options: GitCallOptions) {
    return {
      gitBinary: this.#gitBinary,
      args,
      environment: this.#environment(options.indexFile),
      input: options.input,
      timeoutMs: this.limits.gitTimeoutMs,
      maxOutputBytes: options.maxOutputBytes,
      onSpawn: this.#onGitProcess,
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
}
