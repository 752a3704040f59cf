/**
 * One operation at a time on a shadow repository. Inside a process, operations on the same directory queue
 * (a chain of promises per directory, whichever ShadowGit object started them). Across processes (two
 * `mp serve` on one data dir), a lock file in the shadow directory names its holder (host and pid); a holder
 * on this host that no longer runs crashed, and its lock is taken over.
 *
 * Holding this lock is what makes git's own lock files safe to clear: while we hold it no git process of ours
 * or of another mp works in the directory, so an `index.lock` found then was left by a crash (a killed server,
 * a git process stopped at its time limit) and would otherwise block every later checkpoint.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '../core/errors.ts';

const LOCK_FILE = 'mp-checkpoint.lock';

/** git's lock files in a shadow repository (we never pack refs, and only ever write one branch). */
const GIT_LOCK_FILES = [
  'index.lock',
  'HEAD.lock',
  'config.lock',
  'packed-refs.lock',
  'shallow.lock',
  'refs/heads/checkpoints.lock',
];

/** How long to wait for another live process's operation before giving up. */
const WAIT_LIMIT_MS = 60_000;
const RETRY_MS = 25;

const queues = new Map<string, Promise<unknown>>();

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(lockPath: string): Promise<{ host: string; pid: number } | null> {
  try {
    const [host = '', pid = ''] = (await readFile(lockPath, 'utf8')).split('\n');
    return { host, pid: Number(pid) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function acquire(shadowDir: string): Promise<string> {
  const lockPath = join(shadowDir, LOCK_FILE);
  const contents = `${hostname()}\n${process.pid}\n`;
  const giveUpAt = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      await writeFile(lockPath, contents, { flag: 'wx', mode: 0o600 });
      return lockPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(lockPath);
    if (holder === null) continue;
    // Our own pid: the in-process queue means no operation of ours is running, so a crash left it.
    const stale =
      holder.host === hostname() &&
      (holder.pid === process.pid || !Number.isInteger(holder.pid) || !processRuns(holder.pid));
    if (stale) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > giveUpAt) {
      throw new ConflictError(
        `Another process (pid ${holder.pid} on ${holder.host}) has been working on the checkpoints in ${shadowDir} ` +
          `for over ${WAIT_LIMIT_MS / 1000} s. If no mp runs there any more, remove ${lockPath}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

async function clearGitLocks(shadowDir: string): Promise<void> {
  await Promise.all(GIT_LOCK_FILES.map((name) => rm(join(shadowDir, name), { force: true })));
}

/**
 * Runs `operation` once every earlier operation on `shadowDir` (in this process and, through the lock file,
 * in others) has ended. The directory must exist.
 */
export function exclusively<T>(shadowDir: string, operation: () => Promise<T>): Promise<T> {
  const previous = queues.get(shadowDir) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      const lockPath = await acquire(shadowDir);
      try {
        await clearGitLocks(shadowDir);
        return await operation();
      } finally {
        await rm(lockPath, { force: true });
      }
    });
  queues.set(shadowDir, run);
  const forget = (): void => {
    if (queues.get(shadowDir) === run) queues.delete(shadowDir);
  };
  run.then(forget, forget);
  return run;
}
