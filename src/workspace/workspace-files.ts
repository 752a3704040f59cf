/**
 * read_file, write_file and edit_file on the workspace (issue 8, item 1). Paths are confined by
 * confined-path.ts; the text work is core's (edit-file-content.ts). Every outcome the model can act on is a
 * value carrying the text it reads (`text`); only what no caller can handle throws.
 *
 * Writes are atomic: the new content goes to a temporary file in the same folder, gets the old file's mode
 * (and owner, when we may), is synced, then renamed over the old name. So a failed edit leaves the file byte
 * for byte as it was, and a reader never sees half a file. As with any editor that saves this way, the file
 * gets a new inode: other hard links keep the old content, and extended attributes are not carried over.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import type { EditBlock } from '../core/file-edits/apply-edit-blocks.ts';
import { fileActionProblemText } from '../core/file-edits/edit-failure-text.ts';
import {
  editFileContent,
  type FileContentOutcome,
  writeFileContent,
} from '../core/file-edits/edit-file-content.ts';
import type { FileActionProblem } from '../core/file-edits/file-action-problem.ts';
import { changeResultText, readResultText } from '../core/file-edits/file-action-result-text.ts';
import { decodeText, textLines, toLf } from '../core/file-edits/text-encoding.ts';
import { unifiedDiff } from '../core/file-edits/unified-diff.ts';
import {
  type ConfinedPath,
  checkDescriptor,
  DEFAULT_MAX_FILE_BYTES,
  descriptorPath,
  openParentFolder,
  resolveConfined,
  type WorkspaceScope,
} from './confined-path.ts';

export type { WorkspaceScope } from './confined-path.ts';

/** The default number of lines a read returns when no end is asked for. */
export const DEFAULT_MAX_READ_LINES = 2000;

export interface FileActionRefusal {
  ok: false;
  problem: FileActionProblem;
  /** What the model reads (fileActionProblemText). */
  text: string;
}

export interface FileRead {
  ok: true;
  /** Workspace-relative, links resolved. */
  path: string;
  lines: string[];
  startLine: number;
  endLine: number;
  lineCount: number;
  /** Of the whole file's bytes, whatever range was read: pass it back as `expectedHash` to edit or write. */
  contentHash: string;
  /** What the model reads: a header and the numbered lines. */
  text: string;
}

export interface FileChange {
  ok: true;
  path: string;
  created: boolean;
  /** The file's hash before (null when created) and after. */
  previousHash: string | null;
  contentHash: string;
  /** LF form, for display; the file keeps its own endings. */
  before: string | null;
  after: string;
  /** Unified diff of before → after, git's headers (unified-diff.ts). */
  diff: string;
  /** True when nothing was written (`dryRun`). */
  dryRun: boolean;
  text: string;
}

export interface ReadOptions {
  startLine?: number;
  endLine?: number;
  /** Lines returned when no `endLine` is given; DEFAULT_MAX_READ_LINES by default. */
  maxLines?: number;
}

export interface ChangeOptions {
  /** The hash the model's last read returned; a file that no longer has it is not changed. */
  expectedHash?: string;
  /** Compute the change and its diff without writing (a proposal's card before approval). */
  dryRun?: boolean;
}

/** `sha256:<hex>` of the bytes. */
export function contentHash(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * @example
 * await readWorkspaceFile({ root: '/home/me/p' }, 'src/a.ts', { startLine: 10, endLine: 20 })
 * // { ok: true, path: 'src/a.ts', lines: [...], startLine: 10, endLine: 20, lineCount: 120, contentHash: 'sha256:…', text: 'src/a.ts, lines 10-20 of 120…' }
 */
export async function readWorkspaceFile(
  scope: WorkspaceScope,
  path: string,
  options: ReadOptions = {},
): Promise<FileRead | FileActionRefusal> {
  const refuse = (problem: FileActionProblem) => refusal(problem, 'read_file', path, scope);
  const target = await resolveConfined(scope, path);
  if (!target.ok) return refuse(target.problem);
  const folder = await openParentFolder(scope, target.value, { create: false, action: 'read' });
  if (!folder.ok) return refuse(folder.problem);
  try {
    const file = await readExisting(scope, folder.value, target.value);
    if (!file.ok) return refuse(file.problem);
    if (file.value === null) return refuse({ kind: 'not_found', action: 'read' });
    const decoded = decodeText(file.value.bytes);
    if (!decoded.ok) return refuse({ kind: 'not_text', reason: decoded.reason });
    const all = textLines(toLf(decoded.decoded.text));
    const startLine = options.startLine ?? 1;
    if (startLine > Math.max(all.length, 1)) {
      return refuse({ kind: 'line_range', startLine, lineCount: all.length });
    }
    const endLine = Math.min(
      all.length,
      options.endLine ?? startLine - 1 + (options.maxLines ?? DEFAULT_MAX_READ_LINES),
    );
    const lines = all.slice(startLine - 1, endLine);
    const relative = target.value.relative;
    return {
      ok: true,
      path: relative,
      lines,
      startLine,
      endLine,
      lineCount: all.length,
      contentHash: contentHash(file.value.bytes),
      text: readResultText({ path: relative, lines, startLine, lineCount: all.length }),
    };
  } finally {
    await folder.value.close();
  }
}

/**
 * Creates the file (and missing folders inside the workspace) or replaces its whole content.
 *
 * @example
 * await writeWorkspaceFile({ root: '/home/me/p' }, 'notes/todo.md', '# To do\n')
 * // { ok: true, path: 'notes/todo.md', created: true, diff: '--- /dev/null\n+++ b/notes/todo.md\n…', … }
 */
export function writeWorkspaceFile(
  scope: WorkspaceScope,
  path: string,
  content: string,
  options: ChangeOptions = {},
): Promise<FileChange | FileActionRefusal> {
  return changeFile(scope, path, options, 'write_file', (current) => writeFileContent(current, content));
}

/**
 * Applies search/replace blocks (apply-edit-blocks.ts): all or none. A single block with an empty old text
 * creates a file that does not exist.
 *
 * @example
 * await editWorkspaceFile({ root: '/home/me/p' }, 'src/a.ts', [{ oldText: 'port = 80', newText: 'port = 8080' }])
 */
export function editWorkspaceFile(
  scope: WorkspaceScope,
  path: string,
  edits: readonly EditBlock[],
  options: ChangeOptions = {},
): Promise<FileChange | FileActionRefusal> {
  return changeFile(
    scope,
    path,
    options,
    'edit_file',
    (current) => editFileContent(current, edits),
    edits.length,
  );
}

async function changeFile(
  scope: WorkspaceScope,
  path: string,
  options: ChangeOptions,
  action: 'write_file' | 'edit_file',
  change: (current: Uint8Array | null) => FileContentOutcome,
  blockCount?: number,
): Promise<FileChange | FileActionRefusal> {
  const refuse = (problem: FileActionProblem) => refusal(problem, action, path, scope, blockCount);
  const target = await resolveConfined(scope, path);
  if (!target.ok) return refuse(target.problem);
  const dryRun = options.dryRun === true;
  const folder = await openParentFolder(scope, target.value, { create: !dryRun, action: 'edit' });
  if (!folder.ok) {
    // A dry run creates no folder; a file in a folder still to be made is simply new.
    if (!(dryRun && folder.problem.kind === 'not_found')) return refuse(folder.problem);
  }
  try {
    const existing = folder.ok ? await readExisting(scope, folder.value, target.value) : ok(null);
    if (!existing.ok) return refuse(existing.problem);
    const current = existing.value;
    const previousHash = current === null ? null : contentHash(current.bytes);
    if (options.expectedHash !== undefined && options.expectedHash !== previousHash) {
      return refuse({ kind: 'changed_since_read' });
    }
    const outcome = change(current?.bytes ?? null);
    if (!outcome.ok) return refuse(outcome.problem);
    if (!dryRun && folder.ok) {
      const written = await replaceAtomically(
        folder.value,
        target.value.name,
        outcome.bytes,
        current?.stats ?? null,
      );
      if (!written.ok) return refuse(written.problem);
    }
    const relative = target.value.relative;
    return {
      ok: true,
      path: relative,
      created: current === null,
      previousHash,
      contentHash: contentHash(outcome.bytes),
      before: outcome.before,
      after: outcome.after,
      diff: unifiedDiff({ path: relative, before: outcome.before, after: outcome.after }),
      dryRun,
      text: changeResultText({
        action,
        path: relative,
        created: current === null,
        ...(blockCount === undefined ? {} : { edits: blockCount }),
        lineCount: textLines(outcome.after).length,
      }),
    };
  } finally {
    if (folder.ok) await folder.value.close();
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; problem: FileActionProblem };

function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

interface ExistingFile {
  bytes: Uint8Array;
  stats: Stats;
}

/** The file named `target.name` in the opened folder, or null when there is none. */
async function readExisting(
  scope: WorkspaceScope,
  folder: FileHandle,
  target: ConfinedPath,
): Promise<Outcome<ExistingFile | null>> {
  let file: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    file = await open(
      `${descriptorPath(folder)}/${target.name}`,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ok(null);
    if (code === 'ELOOP') return { ok: false, problem: { kind: 'path_changed' } };
    throw error;
  }
  try {
    const stats = await file.stat();
    if (stats.isDirectory()) return { ok: false, problem: { kind: 'not_a_file', actual: 'directory' } };
    if (!stats.isFile()) return { ok: false, problem: { kind: 'not_a_file', actual: 'other' } };
    const limit = scope.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (stats.size > limit) return { ok: false, problem: { kind: 'too_large', bytes: stats.size, limit } };
    const checked = await checkDescriptor(file, target.realRoot, scope);
    if (!checked.ok) return checked;
    return ok({ bytes: await file.readFile(), stats });
  } finally {
    await file.close();
  }
}

/**
 * Writes `bytes` to a new file beside `name` and renames it over `name`, both through the folder's
 * descriptor. `previous` (the file as read) gives the mode and owner, and must still be the file there just
 * before the rename: a command that changed it meanwhile wins, and the edit is refused as stale.
 */
async function replaceAtomically(
  folder: FileHandle,
  name: string,
  bytes: Uint8Array,
  previous: Stats | null,
): Promise<Outcome<null>> {
  const folderPath = descriptorPath(folder);
  // Not named after the file: a name near the length limit would leave no room for a suffix.
  const temporary = `${folderPath}/.mp-write-${randomBytes(6).toString('hex')}.tmp`;
  // New files get 0666 less the umask, as an editor's would; an existing file's mode is set exactly below.
  const file = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o666,
  );
  let renamed = false;
  try {
    try {
      await file.writeFile(bytes);
      if (previous !== null) {
        // Owner first: Linux clears set-user-ID and set-group-ID bits on chown, even for root.
        await file.chown(previous.uid, previous.gid).catch(() => undefined);
        await file.chmod(previous.mode & 0o7777);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (!(await unchangedSince(`${folderPath}/${name}`, previous))) {
      return { ok: false, problem: { kind: 'changed_since_read' } };
    }
    await rename(temporary, `${folderPath}/${name}`);
    renamed = true;
    return ok(null);
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
}

async function unchangedSince(path: string, previous: Stats | null): Promise<boolean> {
  let now: FileHandle;
  try {
    now = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && previous === null;
  }
  try {
    if (previous === null) return false;
    const stats = await now.stat({ bigint: false });
    return stats.ino === previous.ino && stats.size === previous.size && stats.mtimeMs === previous.mtimeMs;
  } finally {
    await now.close();
  }
}

function refusal(
  problem: FileActionProblem,
  action: 'read_file' | 'write_file' | 'edit_file',
  path: string,
  scope: WorkspaceScope,
  blockCount?: number,
): FileActionRefusal {
  return {
    ok: false,
    problem,
    text: fileActionProblemText(problem, {
      action,
      path,
      workspace: scope.insideRoot ?? scope.root,
      ...(blockCount === undefined ? {} : { blockCount }),
    }),
  };
}
