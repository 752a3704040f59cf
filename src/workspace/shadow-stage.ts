/**
 * Bringing the shadow index up to the worktree, with as few git processes as possible: one `git status`
 * lists what differs (the index's stat cache means unchanged files are not read, the untracked cache that
 * unchanged directories are not listed again), the paths it names are sized here, and one `git update-index`
 * records exactly those. A `git add -A` would walk the tree a second time and could not leave out large files.
 *
 * What is not recorded, and why (SkipReason): a file over the size limit (and a file recorded before that
 * has since grown past it is dropped from the index, so a checkpoint never claims an old version of it), a
 * directory with its own `.git` (status shows it as `dir/` and it is never added: git would record only its
 * HEAD commit, which restores nothing), a name git refuses. Ignored files never show in status; when a
 * `.gitignore` changed, files recorded before that it now ignores are dropped too, as if never recorded.
 */
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseStatus, pathBytes, type StatusEntry } from '../core/checkpoints/git-records.ts';
import { WorkspaceTooLargeError } from '../core/errors.ts';
import type { CheckpointLimits, SkippedPath } from './checkpoint-limits.ts';
import type { GitResult } from './git-process.ts';

export type ShadowGitCall = (
  args: readonly string[],
  options?: { input?: Buffer | string; indexFile?: string },
) => Promise<GitResult>;

export interface StagingContext {
  workspaceRoot: string;
  shadowDir: string;
  limits: CheckpointLimits;
  git: ShadowGitCall;
}

export interface StagedWorktree {
  /** False when the index already held what the last checkpoint holds and nothing changed since. */
  changed: boolean;
  skipped: SkippedPath[];
}

const STATUS_ARGS = [
  'status',
  '--porcelain',
  '-z',
  '--untracked-files=all',
  '--no-renames',
  '--ignore-submodules=all',
];

/** How many lstat calls run at once on a first snapshot of a large tree. */
const LSTAT_BATCH = 256;

function absolute(root: string, path: string): Buffer {
  return Buffer.concat([Buffer.from(`${root}/`), pathBytes(path)]);
}

/** The number of entries the index holds, from its header ("DIRC", version, count; big-endian). */
async function indexEntryCount(shadowDir: string): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(join(shadowDir, 'index'), 'r');
    const header = Buffer.alloc(12);
    const { bytesRead } = await handle.read(header, 0, 12, 0);
    if (bytesRead < 12 || header.toString('latin1', 0, 4) !== 'DIRC') return 0;
    return header.readUInt32BE(8);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  } finally {
    await handle?.close();
  }
}

/** Sizes of regular files (null for anything else, or a path that vanished meanwhile). */
async function regularFileSizes(root: string, paths: readonly string[]): Promise<Array<number | null>> {
  const sizes: Array<number | null> = [];
  for (let start = 0; start < paths.length; start += LSTAT_BATCH) {
    const batch = paths.slice(start, start + LSTAT_BATCH);
    const stats = await Promise.all(batch.map((path) => lstat(absolute(root, path)).catch(() => null)));
    for (const stat of stats) sizes.push(stat?.isFile() ? stat.size : null);
  }
  return sizes;
}

interface StagingPlan {
  /** Paths for `update-index --add --remove --replace`: new or changed. */
  update: string[];
  /** Recorded paths that must leave the index (deleted, or grown past the size limit). */
  drop: string[];
  skipped: SkippedPath[];
  added: number;
  removed: number;
}

async function plan(entries: readonly StatusEntry[], context: StagingContext): Promise<StagingPlan> {
  const result: StagingPlan = { update: [], drop: [], skipped: [], added: 0, removed: 0 };
  const toSize: StatusEntry[] = [];
  for (const entry of entries) {
    const untracked = entry.index === '?';
    if (untracked && entry.path.endsWith('/')) {
      result.skipped.push({ path: entry.path.slice(0, -1), reason: 'nested-repository' });
    } else if (entry.worktree === 'D') {
      // --force-remove: a plain --remove checks the worktree path first, and fails on one now beyond a symlink.
      result.drop.push(entry.path);
      result.removed += 1;
    } else if (untracked || entry.worktree === 'M' || entry.worktree === 'T') {
      toSize.push(entry);
    }
  }
  const sizes = await regularFileSizes(
    context.workspaceRoot,
    toSize.map((entry) => entry.path),
  );
  toSize.forEach((entry, index) => {
    const size = sizes[index] ?? null;
    const untracked = entry.index === '?';
    if (size !== null && size > context.limits.maxFileBytes) {
      result.skipped.push({ path: entry.path, reason: 'too-large', sizeBytes: size });
      if (!untracked) {
        result.drop.push(entry.path);
        result.removed += 1;
      }
      return;
    }
    result.update.push(entry.path);
    if (untracked) result.added += 1;
  });
  return result;
}

function nulList(paths: readonly string[]): Buffer {
  return Buffer.from(paths.map((path) => `${path}\0`).join(''), 'latin1');
}

/** update-index says "Ignoring path X" for a name it refuses (a `.git` variant) and goes on. */
function ignoredPaths(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('Ignoring path '))
    .map((line) => Buffer.from(line.slice('Ignoring path '.length), 'utf8').toString('latin1'));
}

function touchesIgnoreRules(entries: readonly StatusEntry[]): boolean {
  return entries.some((entry) => entry.path === '.gitignore' || entry.path.endsWith('/.gitignore'));
}

export async function stageWorktree(context: StagingContext): Promise<StagedWorktree> {
  const status = await context.git(STATUS_ARGS);
  const entries = parseStatus(status.stdout);
  const staging = await plan(entries, context);
  const total = (await indexEntryCount(context.shadowDir)) + staging.added - staging.removed;
  if (total > context.limits.maxFiles) throw new WorkspaceTooLargeError(total, context.limits.maxFiles);

  if (staging.update.length > 0) {
    const updated = await context.git(['update-index', '--add', '--remove', '--replace', '-z', '--stdin'], {
      input: nulList(staging.update),
    });
    for (const path of ignoredPaths(updated.stderr)) staging.skipped.push({ path, reason: 'invalid-path' });
  }
  if (touchesIgnoreRules(entries)) {
    const nowIgnored = await context.git(['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']);
    staging.drop.push(...parseStatusFreeList(nowIgnored.stdout));
  }
  if (staging.drop.length > 0) {
    await context.git(['update-index', '--force-remove', '-z', '--stdin'], { input: nulList(staging.drop) });
  }
  const indexAheadOfHead = entries.some((entry) => entry.index !== ' ' && entry.index !== '?');
  const changed = indexAheadOfHead || staging.update.length > 0 || staging.drop.length > 0;
  return { changed, skipped: staging.skipped };
}

/** A NUL-separated list of paths (ls-files -z), as byte strings. */
function parseStatusFreeList(output: Buffer): string[] {
  return output
    .toString('latin1')
    .split('\0')
    .filter((path) => path !== '');
}
