/**
 * Which paths a restore must leave as they are. A restore moves the worktree from the checkpoint just taken
 * (the undo point) to the target; git does that safely for every path the undo point recorded. A path the
 * target holds that the undo point did not record, but where something exists now (an ignored file, a file
 * over the size limit, a nested repository, a directory holding any of those), would be overwritten with no
 * way back: it is left alone and reported, so a restore never destroys what it could not undo.
 *
 * Reads the file system with lstat only (never through a symlink).
 */
import { lstat, readdir } from 'node:fs/promises';
import { type FileChange, pathBytes } from '../core/checkpoints/git-records.ts';

function absolute(root: string, path: string): Buffer {
  return Buffer.concat([Buffer.from(`${root}/`), pathBytes(path)]);
}

async function lstatOrNull(path: Buffer) {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** True when everything under `directory` is a recorded file the restore removes anyway. */
async function holdsOnlyRecorded(
  root: string,
  directory: string,
  removed: ReadonlySet<string>,
): Promise<boolean> {
  const entries = await readdir(absolute(root, directory), { withFileTypes: true, encoding: 'buffer' });
  for (const entry of entries) {
    const path = `${directory}/${entry.name.toString('latin1')}`;
    if (entry.isDirectory()) {
      if (entry.name.toString('latin1') === '.git') return false;
      if (!(await holdsOnlyRecorded(root, path, removed))) return false;
    } else if (!removed.has(path)) {
      return false;
    }
  }
  return true;
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/**
 * The target's paths (byte strings) to leave alone, given the changes from the undo point to the target
 * (`git diff-tree --no-renames` between the two trees).
 */
export async function pathsToLeaveAlone(root: string, changes: readonly FileChange[]): Promise<string[]> {
  // Recorded at the undo point and gone or replaced in the target: git removes these itself.
  const removed = new Set(
    changes.filter((change) => change.status === 'D' || change.status === 'T').map((change) => change.path),
  );
  const leave: string[] = [];
  for (const change of changes) {
    if (change.status !== 'A') continue;
    if (await blocked(root, change.path, removed)) leave.push(change.path);
  }
  return leave;
}

async function blocked(root: string, path: string, removed: ReadonlySet<string>): Promise<boolean> {
  for (const ancestor of ancestors(path)) {
    const stat = await lstatOrNull(absolute(root, ancestor));
    if (stat === null) return false;
    if (stat.isDirectory()) continue;
    // A file or symlink where the target has a directory: fine only if git removes it as recorded.
    return !removed.has(ancestor);
  }
  const stat = await lstatOrNull(absolute(root, path));
  if (stat === null) return false;
  // Not recorded at the undo point (the change is an addition), yet present: unrecorded content.
  if (!stat.isDirectory()) return true;
  return !(await holdsOnlyRecorded(root, path, removed));
}
