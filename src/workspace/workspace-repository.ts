/**
 * The "Commit" action in the workspace's own repository (issue 8 item 3): everything in the worktree
 * committed as `git add -A && git commit` would, with the message the person approved and the author they
 * name; and the diff the model drafts that message from.
 *
 * git runs on the host here, in a repository whose config, hooks and attributes the sandboxed model can
 * write, so: the safety environment (no system or global config, hooks and fsmonitor off), every program its
 * config names per driver neutralised (repository-config-neutraliser.ts), and the commit made with plumbing
 * (`write-tree`, `commit-tree --no-gpg-sign`, `update-ref`), which starts no hook, signer or background gc.
 * A path that uses a filter the repository defines (Git LFS…) would be committed without its filter, so
 * the commit is refused instead, saying to commit from a terminal.
 *
 * The workspace root itself must hold the repository (`.git` directly in it); a workspace inside a larger
 * repository is not one, so a commit never takes files from outside the workspace.
 */
import { copyFile, lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { displayPath, parseRawNumstat, parseStatus } from '../core/checkpoints/git-records.ts';
import { ConflictError, InvalidRequestError } from '../core/errors.ts';
import { DEFAULT_CHECKPOINT_LIMITS } from './checkpoint-limits.ts';
import { type CheckpointDiff, type CheckpointFileChange, shownChange, totals } from './checkpoint-results.ts';
import { DEFAULT_BASE_ENVIRONMENT, workspaceEnvironment } from './git-environment.ts';
import { type GitResult, gitOutput, runGit } from './git-process.ts';
import { neutraliseRepositoryConfig } from './repository-config-neutraliser.ts';

export interface WorkspaceRepositoryOptions {
  gitBinary?: string;
  /** The environment git starts from (PATH…); any GIT_* variable in it is dropped. */
  environment?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  /** Where the draft's scratch index goes (default: the system temp dir). */
  scratchDir?: string;
  maxDiffBytes?: number;
}

export interface CommitAuthor {
  name: string;
  email: string;
}

export type CommitOutcome =
  | {
      committed: true;
      commit: string;
      files: CheckpointFileChange[];
      changedFiles: number;
      insertions: number;
      deletions: number;
    }
  | { committed: false; reason: 'nothing-to-commit' };

interface GitCallOptions {
  input?: Buffer | string;
  /** Return a failed run instead of throwing GitFailedError. */
  allowFailure?: boolean;
  maxOutputBytes?: number;
}

interface Repository {
  root: string;
  git(args: readonly string[], options?: GitCallOptions): Promise<GitResult>;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function firstLine(output: Buffer): string {
  return output.toString('utf8').split('\n')[0]?.trim() ?? '';
}

/** True when the workspace root holds a git repository of its own (`.git` directory or gitfile, valid). */
export async function isGitRepository(
  workspaceRoot: string,
  options: WorkspaceRepositoryOptions = {},
): Promise<boolean> {
  const root = resolve(workspaceRoot);
  const dotGit = await lstat(join(root, '.git')).catch(() => null);
  if (dotGit === null || !(dotGit.isDirectory() || dotGit.isFile())) return false;
  const environment = workspaceEnvironment({
    base: options.environment ?? DEFAULT_BASE_ENVIRONMENT,
    gitDir: join(root, '.git'),
    workspaceRoot: root,
    neutralising: [],
  });
  const result = await runGit({
    gitBinary: options.gitBinary ?? 'git',
    args: ['rev-parse', '--git-dir'],
    environment,
    timeoutMs: options.timeoutMs ?? DEFAULT_CHECKPOINT_LIMITS.gitTimeoutMs,
  });
  return result.exitCode === 0;
}

interface Scratch {
  indexFile: string;
  objects: { directory: string; repositoryObjects: string };
}

async function openRepository(
  workspaceRoot: string,
  options: WorkspaceRepositoryOptions,
  scratch?: Scratch,
): Promise<Repository & { filterDrivers: string[] }> {
  const root = resolve(workspaceRoot);
  if (!(await isGitRepository(root, options))) {
    throw new InvalidRequestError(
      `The workspace ${root} is not a git repository (no .git in it): run \`git init\` there first.`,
      'workspace',
    );
  }
  const base = options.environment ?? DEFAULT_BASE_ENVIRONMENT;
  const gitDir = join(root, '.git');
  const run =
    (environment: Record<string, string>) =>
    async (args: readonly string[], runOptions: GitCallOptions = {}) => {
      const request = {
        gitBinary: options.gitBinary ?? 'git',
        args,
        environment,
        input: runOptions.input,
        timeoutMs: options.timeoutMs ?? DEFAULT_CHECKPOINT_LIMITS.gitTimeoutMs,
        maxOutputBytes: runOptions.maxOutputBytes,
      };
      return runOptions.allowFailure === true ? runGit(request) : gitOutput(request);
    };
  // Reading config runs nothing; only then is it known which of its programs to neutralise.
  const listing = await run(workspaceEnvironment({ base, gitDir, workspaceRoot: root, neutralising: [] }))([
    'config',
    '--null',
    '--list',
  ]);
  const neutralised = neutraliseRepositoryConfig(listing.stdout.toString('utf8'));
  const environment = workspaceEnvironment({
    base,
    gitDir,
    workspaceRoot: root,
    neutralising: neutralised.pairs,
    ...(scratch === undefined ? {} : { indexFile: scratch.indexFile, scratchObjects: scratch.objects }),
  });
  return { root, git: run(environment), filterDrivers: neutralised.filterDrivers };
}

async function headCommit(repository: Repository): Promise<{ commit: string; tree: string } | null> {
  const commit = firstLine(
    (await repository.git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFailure: true }))
      .stdout,
  );
  if (!OBJECT_ID.test(commit)) return null;
  const tree = firstLine(
    (await repository.git(['rev-parse', '--verify', '--quiet', `${commit}^{tree}`])).stdout,
  );
  return { commit, tree };
}

async function emptyTree(repository: Repository): Promise<string> {
  return firstLine((await repository.git(['hash-object', '-t', 'tree', '--stdin'])).stdout);
}

/** Paths that differ from HEAD or the index, as `git add -A` would take them. */
async function changedPaths(repository: Repository): Promise<string[]> {
  const status = await repository.git([
    'status',
    '--porcelain',
    '-z',
    '--untracked-files=all',
    '--no-renames',
    '--ignore-submodules=all',
  ]);
  return parseStatus(status.stdout).map((entry) => entry.path);
}

/** Refuses when a changed path uses a filter driver the repository defines (it would be committed unfiltered). */
async function refuseFilteredPaths(repository: Repository, filterDrivers: readonly string[]): Promise<void> {
  if (filterDrivers.length === 0) return;
  const paths = await changedPaths(repository);
  if (paths.length === 0) return;
  const checked = await repository.git(['check-attr', '-z', '--stdin', 'filter'], {
    input: Buffer.from(paths.map((path) => `${path}\0`).join(''), 'latin1'),
  });
  const fields = checked.stdout.toString('latin1').split('\0');
  for (let at = 0; at + 2 < fields.length; at += 3) {
    const value = fields[at + 2] ?? '';
    if (filterDrivers.includes(value)) {
      throw new ConflictError(
        `${displayPath(fields[at] ?? '')} uses the git filter "${value}" this repository defines (Git LFS is one): ` +
          'mp does not run a repository’s programs on the host, so it cannot commit it as git would. Commit from a terminal.',
      );
    }
  }
}

/** State files of an unfinished merge, rebase, cherry-pick, revert or bisect, and what git calls each. */
const OPERATIONS_IN_PROGRESS: ReadonlyArray<readonly [string, string]> = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase or git am'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['BISECT_LOG', 'a bisect'],
];

/**
 * `git commit` would finish a merge with two parents, or refuse with conflicts; a plain commit in the middle
 * of one would record conflict markers and leave the operation dangling. So: finish it in a terminal first.
 */
async function refuseOperationInProgress(repository: Repository): Promise<void> {
  const gitDir = firstLine((await repository.git(['rev-parse', '--absolute-git-dir'])).stdout);
  for (const [name, operation] of OPERATIONS_IN_PROGRESS) {
    if ((await lstat(join(gitDir, name)).catch(() => null)) !== null) {
      throw new ConflictError(
        `The repository is in the middle of ${operation} (.git/${name}): finish or abort it from a terminal, then commit.`,
      );
    }
  }
}

function checkedMessage(message: string): string {
  const trimmed = message.replace(/\s+$/, '');
  if (trimmed.trim() === '') throw new InvalidRequestError('A commit needs a message.', 'message');
  return `${trimmed}\n`;
}

function checkedAuthor(author: CommitAuthor): CommitAuthor {
  const bad = (text: string) => text.trim() === '' || /[<>\n\0]/.test(text);
  if (bad(author.name) || bad(author.email)) {
    throw new InvalidRequestError(
      'A commit author needs a name and an e-mail address, without <, > or line breaks.',
      'author',
    );
  }
  return { name: author.name.trim(), email: author.email.trim() };
}

/**
 * Commits everything in the worktree (as `git add -A && git commit -m message`), on the branch HEAD names.
 * Nothing changed: `{committed: false}`.
 */
export async function commitWork(
  workspaceRoot: string,
  commit: { message: string; author: CommitAuthor },
  options: WorkspaceRepositoryOptions = {},
): Promise<CommitOutcome> {
  const message = checkedMessage(commit.message);
  const author = checkedAuthor(commit.author);
  const repository = await openRepository(workspaceRoot, options);
  await refuseOperationInProgress(repository);
  await refuseFilteredPaths(repository, repository.filterDrivers);
  await repository.git(['add', '-A']);
  const tree = firstLine((await repository.git(['write-tree'])).stdout);
  const head = await headCommit(repository);
  if (head !== null && head.tree === tree) return { committed: false, reason: 'nothing-to-commit' };
  const created = firstLine(
    (
      await repository.git(
        [
          '-c',
          `user.name=${author.name}`,
          '-c',
          `user.email=${author.email}`,
          'commit-tree',
          '--no-gpg-sign',
          tree,
          ...(head === null ? [] : ['-p', head.commit]),
        ],
        { input: message },
      )
    ).stdout,
  );
  const subject = message.split('\n')[0] ?? '';
  // The old value makes it a compare-and-swap: a commit made meanwhile from a terminal is not overwritten.
  const reflog = `commit${head === null ? ' (initial)' : ''}: ${subject}`;
  await repository.git(['update-ref', '-m', reflog, 'HEAD', created, head?.commit ?? '']);
  const files = parseRawNumstat(
    (
      await repository.git([
        'diff-tree',
        '-r',
        '-z',
        '--no-renames',
        '--raw',
        '--numstat',
        head?.tree ?? (await emptyTree(repository)),
        tree,
      ])
    ).stdout,
  );
  return { committed: true, commit: created, files: files.map(shownChange), ...totals(files) };
}

/**
 * What commitWork would commit now, as a diff (for the model to draft a message from). Works on a scratch
 * copy of the index with a scratch object directory, so nothing in `.git` is written.
 */
export async function diffForCommitMessage(
  workspaceRoot: string,
  options: WorkspaceRepositoryOptions = {},
): Promise<CheckpointDiff> {
  const probe = await openRepository(workspaceRoot, options);
  const gitDir = firstLine((await probe.git(['rev-parse', '--absolute-git-dir'])).stdout);
  const scratch = await mkdtemp(join(options.scratchDir ?? tmpdir(), 'mp-commit-draft-'));
  try {
    const indexFile = join(scratch, 'index');
    await copyFile(join(gitDir, 'index'), indexFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const directory = join(scratch, 'objects');
    await mkdir(directory);
    const repository = await openRepository(workspaceRoot, options, {
      indexFile,
      objects: { directory, repositoryObjects: join(gitDir, 'objects') },
    });
    const untracked = await repository.git(['ls-files', '-z', '--others', '--exclude-standard']);
    if (untracked.stdout.length > 0) {
      // Intent to add: the new files show in the diff without their contents being written as objects.
      await repository.git(['add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        input: untracked.stdout,
      });
    }
    const head = await headCommit(repository);
    const base = head?.commit ?? (await emptyTree(repository));
    const files = parseRawNumstat(
      (await repository.git(['diff-index', '-z', '-M', '--raw', '--numstat', base])).stdout,
    );
    const patch = await repository.git(
      ['diff-index', '-p', '-M', '--no-ext-diff', '--no-textconv', '--no-color', base],
      {
        maxOutputBytes: options.maxDiffBytes ?? DEFAULT_CHECKPOINT_LIMITS.maxDiffBytes,
      },
    );
    return {
      text: patch.stdout.toString('utf8'),
      truncated: patch.truncated,
      files: files.map(shownChange),
      ...totals(files),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
