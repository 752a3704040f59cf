/**
 * Opening a path a model wrote without ever leaving the workspace (issue 8, item 1: "never reaches outside
 * the workspace, whatever the path says"). Three layers, each enough alone for what it covers:
 *
 * 1. The words: `..`, `~` and absolute paths are judged by workspaceRelativePath (core).
 * 2. Symlinks: the path is resolved one part at a time from the workspace's real path; a link is followed
 *    only when its target, read as text, stays inside the workspace, and a path under a folder the sandbox
 *    hides (our data dir, a home secret reached through a link) is refused.
 * 3. Races: what was resolved is then opened one folder at a time through the previous folder's descriptor
 *    (`/proc/self/fd/N/<name>`, an openat() that Node lacks) with O_NOFOLLOW, so a folder swapped for a link
 *    after step 2 makes the open fail instead of leading elsewhere; the descriptor finally opened is checked
 *    again by reading its `/proc/self/fd/N` link. Files are created and renamed through the folder's
 *    descriptor too, so the folder written into is the folder that was checked.
 *
 * Residual: a folder already opened can be *moved* out of the workspace by another process between the
 * check and the write. A sandboxed command cannot do that (outside the workspace is read-only or absent, and
 * a rename across mounts fails); a command on the `host` backend could, and nothing confines it anyway.
 * Linux only: it needs /proc/self/fd, as the sandbox needs Linux.
 */
import { constants, existsSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { AppError, ConflictError } from '../core/errors.ts';
import type { FileActionProblem } from '../core/file-edits/file-action-problem.ts';
import { workspaceRelativePath } from '../core/file-edits/workspace-relative-path.ts';

export interface WorkspaceScope {
  /** The workspace on the host; resolved with realpath on each call. */
  root: string;
  /** Where the sandbox shows the workspace when not at its host path (e.g. `/workspace`); accepted in paths. */
  insideRoot?: string;
  /** Paths the sandbox hides (data and config dirs, home secrets): never read or written, even when inside. */
  hiddenPaths?: readonly string[];
  /** The largest file read, written over or edited; 8 MiB by default. */
  maxFileBytes?: number;
  /** Tests only: runs between resolving a path and opening it, to stage a swap deterministically. */
  beforeOpen?: () => void | Promise<void>;
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** A path resolved inside the workspace: its real parent folder's parts and its own name. */
export interface ConfinedPath {
  realRoot: string;
  /** Workspace-relative, as resolved (links followed). */
  relative: string;
  parentParts: string[];
  name: string;
}

export type Confined<T> = { ok: true; value: T } | { ok: false; problem: FileActionProblem };

const MAX_LINK_HOPS = 40;
const O_DIRECTORY_NOFOLLOW = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

export function refused<T>(problem: FileActionProblem): Confined<T> {
  return { ok: false, problem };
}

/** Where `path` leads inside the workspace, links followed while they stay inside; nothing is opened. */
export async function resolveConfined(scope: WorkspaceScope, path: string): Promise<Confined<ConfinedPath>> {
  if (!existsSync('/proc/self/fd')) {
    throw new AppError(
      'unsupported',
      'Workspace file actions need Linux (/proc/self/fd to check descriptors).',
    );
  }
  const realRoot = await realpath(scope.root).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new ConflictError(
      `The workspace ${scope.root} does not exist any more: create it or choose another.`,
    );
  });
  const names = [scope.root, realRoot, ...(scope.insideRoot === undefined ? [] : [scope.insideRoot])];
  const words = workspaceRelativePath(path, names);
  if (!words.ok) return refused(words.problem);
  const walked = await followParts(realRoot, words.relative, names);
  if (!walked.ok) return walked;
  const { parts } = walked.value;
  if (parts.length === 0) return refused({ kind: 'not_a_file', actual: 'directory' });
  const resolved = join(realRoot, ...parts);
  if (await isHidden(resolved, scope.hiddenPaths ?? [])) return refused({ kind: 'hidden_path' });
  return {
    ok: true,
    value: {
      realRoot,
      relative: parts.join('/'),
      parentParts: parts.slice(0, -1),
      name: parts.at(-1)!,
    },
  };
}

/**
 * The workspace-relative parts `relativePath` leads to, each symlink on the way replaced by its target when
 * that stays inside. A target is read as text: an absolute one must name the workspace by one of `names`
 * (a link made inside the sandbox names it as the sandbox shows it), and one leading out and back in is
 * refused too.
 */
async function followParts(
  realRoot: string,
  relativePath: string,
  names: readonly string[],
): Promise<Confined<{ parts: string[] }>> {
  let pending = relativePath === '' ? [] : relativePath.split('/');
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const [part, ...rest] = pending as [string, ...string[]];
    const here = join(realRoot, ...done, part);
    const stats = await lstat(here).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      if (error.code === 'ENOTDIR') return 'not-a-folder' as const;
      throw error;
    });
    if (stats === 'not-a-folder') return refused({ kind: 'parent_not_a_folder' });
    if (stats === null) return { ok: true, value: { parts: [...done, ...pending] } };
    if (stats.isSymbolicLink()) {
      hops += 1;
      if (hops > MAX_LINK_HOPS) return refused({ kind: 'outside_workspace', reason: 'symlink' });
      const target = await readlink(here);
      const landed = workspaceRelativePath(isAbsolute(target) ? target : join(...done, target), names);
      if (!landed.ok) return refused({ kind: 'outside_workspace', reason: 'symlink' });
      done.length = 0;
      pending = [...(landed.relative === '' ? [] : landed.relative.split('/')), ...rest];
      continue;
    }
    if (rest.length > 0 && !stats.isDirectory()) return refused({ kind: 'parent_not_a_folder' });
    done.push(part);
    pending = rest;
  }
  return { ok: true, value: { parts: done } };
}

async function isHidden(resolved: string, hiddenPaths: readonly string[]): Promise<boolean> {
  for (const hidden of hiddenPaths) {
    const names = new Set([normalize(hidden), await realpath(hidden).catch(() => normalize(hidden))]);
    for (const name of names) {
      const below = relative(name, resolved);
      if (below === '' || (below !== '..' && !below.startsWith('../') && !isAbsolute(below))) return true;
    }
  }
  return false;
}

/**
 * The parent folder of `target`, opened one part at a time through descriptors with O_NOFOLLOW; missing
 * folders are created when `create` is set, else the file is `not_found` for `action`. The caller closes
 * the handle.
 */
export async function openParentFolder(
  scope: WorkspaceScope,
  target: ConfinedPath,
  options: { create: boolean; action: 'read' | 'edit' },
): Promise<Confined<FileHandle>> {
  await scope.beforeOpen?.();
  let folder = await open(target.realRoot, O_DIRECTORY_NOFOLLOW);
  let handedOver = false;
  try {
    for (const part of target.parentParts) {
      const path = `${descriptorPath(folder)}/${part}`;
      let next = await openFolder(path);
      if (next === 'missing' && options.create) {
        await mkdir(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        next = await openFolder(path);
      }
      if (next === 'missing') return refused({ kind: 'not_found', action: options.action });
      if (next === 'changed') return refused({ kind: 'path_changed' });
      await folder.close();
      folder = next;
    }
    const checked = await checkDescriptor(folder, target.realRoot, scope);
    if (!checked.ok) return checked;
    handedOver = true;
    return { ok: true, value: folder };
  } finally {
    if (!handedOver) await folder.close();
  }
}

async function openFolder(path: string): Promise<FileHandle | 'missing' | 'changed'> {
  try {
    return await open(path, O_DIRECTORY_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    // A link (ELOOP) or a file (ENOTDIR) where resolving found a folder: something changed in between.
    if (code === 'ELOOP' || code === 'ENOTDIR') return 'changed';
    throw error;
  }
}

/** `/proc/self/fd/N`: a path that reaches what the descriptor holds, wherever it now is. */
export function descriptorPath(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}

/** The descriptor's file is inside the workspace and not under a hidden path (step 3's second half). */
export async function checkDescriptor(
  handle: FileHandle,
  realRoot: string,
  scope: WorkspaceScope,
): Promise<Confined<null>> {
  const where = await readlink(descriptorPath(handle));
  const inside = relative(realRoot, where);
  // A deleted file or folder reads as "<path> (deleted)"; it is not where it was checked to be either.
  if (!isAbsolute(where) || where.endsWith(' (deleted)')) return refused({ kind: 'path_changed' });
  if (inside === '..' || inside.startsWith('../') || isAbsolute(inside))
    return refused({ kind: 'path_changed' });
  if (await isHidden(where, scope.hiddenPaths ?? [])) return refused({ kind: 'hidden_path' });
  return { ok: true, value: null };
}
