/**
 * The data dir and the database files are for their owner only (issue 7 item 7): they hold every
 * conversation, every command and its output, and the data dir also holds the instance token.
 *
 * The folder matters as much as the files: SQLite creates `-wal` and `-shm` beside the database whenever it
 * needs them, so another user who can write to the folder could plant them, and one who can read it can read
 * them. SQLite gives those two files the mode of the database file, so a database created 0600 keeps its
 * companions 0600 too. We chmod instead of setting a umask: `process.umask()` is process-wide and cannot be
 * called from worker threads.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { AppError } from '../core/errors.ts';

/** The folder is open to other users and is not ours to close (someone else's, or shared like /tmp). */
export class DataDirNotPrivateError extends AppError {
  constructor(path: string, mode: number, why: string) {
    super(
      'data_dir_not_private',
      `${path} is open to other users (mode ${octal(mode)}) and ${why}, so it cannot hold ModelProgrammer's data; ` +
        'point --data-dir at a folder of your own (it will be created with mode 0700)',
    );
    this.name = 'DataDirNotPrivateError';
  }
}

/**
 * Creates `path` with mode 0700, or tightens an existing folder of ours to 0700.
 *
 * An existing folder with group or other bits is tightened rather than refused: earlier versions created the
 * data dir with the default mode (0755), and refusing would stop every existing install at its next start
 * over something we can fix ourselves. We refuse only what is not ours to change: a folder owned by another
 * user, and a shared one (world-writable or sticky, like /tmp), whose mode other users rely on.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const { mode, uid } = statSync(path);
  if ((mode & 0o077) === 0) return;
  if ((mode & 0o1002) !== 0) {
    throw new DataDirNotPrivateError(path, mode, 'is a shared folder (world-writable or sticky, like /tmp)');
  }
  if (process.getuid !== undefined && uid !== process.getuid()) {
    throw new DataDirNotPrivateError(path, mode, `belongs to another user (uid ${uid})`);
  }
  chmodSync(path, 0o700);
}

/** Creates `path` empty with mode 0600 if it is missing, else takes group and other bits off it. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  tightenFile(path);
}

/** Takes group and other bits off `path` if it exists (a `-wal` or `-shm` left by an earlier run). */
export function tightenFile(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}
