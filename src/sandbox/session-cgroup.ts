/**
 * One sandbox session's cgroup, whatever the version: the files a process writes its pid into to join
 * it, the kernel's counters of limits hit inside it, and its removal (every process left in it killed,
 * then the folders removed, so no cgroup outlives its session).
 */
import { readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signalEach } from './process-table.ts';

/** How often the kernel enforced a limit in the cgroup since it was made. */
export interface LimitCounters {
  /** Processes the OOM killer ended because the memory limit was reached. */
  oomKills: number;
  /** Forks (and clones) refused because the process limit was reached. */
  processLimitHits: number;
}

export interface CounterFiles {
  /** A file with a `<key> <count>` line, and the key. */
  oom: { file: string; key: string } | null;
  pids: { file: string; key: string } | null;
}

export interface SessionCgroup {
  /** Files whose writing of a pid moves that process (and so its future children) into the cgroup. */
  readonly joinFiles: string[];
  counters(): Promise<LimitCounters>;
  /** Kills whatever is left inside and removes the cgroup. Never throws. */
  remove(): Promise<void>;
}

/** The count after `key` in a flat keyed file (`oom_kill 3`, `max 12`); 0 when missing or unreadable. */
export async function readKeyedCount(spec: { file: string; key: string } | null): Promise<number> {
  if (spec === null) return 0;
  const text = await readFile(spec.file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key === spec.key) return Number(value) || 0;
  }
  return 0;
}

/** Counters read from the kernel's files (a session's own cgroup, or a container's). */
export function countersFrom(files: CounterFiles): () => Promise<LimitCounters> {
  return async () => {
    const [oomKills, processLimitHits] = await Promise.all([
      readKeyedCount(files.oom),
      readKeyedCount(files.pids),
    ]);
    return { oomKills, processLimitHits };
  };
}

export async function writeSetting(folder: string, file: string, value: string): Promise<void> {
  await writeFile(join(folder, file), value);
}

/** The CPU controllers' accounting period: v1's cpu.cfs_period_us, v2's second field of cpu.max. */
export const CPU_PERIOD_US = 100_000;

/** The CPU time per period for `cpus` CPUs; the kernel refuses a quota under 1 ms. */
export function cpuQuotaUs(cpus: number): number {
  return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
}

/** The pids in one cgroup folder (a session's, or a container's); none when it cannot be read. */
export async function cgroupMembers(folder: string): Promise<number[]> {
  const text = await readFile(join(folder, 'cgroup.procs'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

const REMOVE_ROUNDS = 100;
const ROUND_PAUSE_MS = 20;

/**
 * Kills every process in the folders (SIGKILL is delivered asynchronously, and a fork bomb forks while it
 * is being killed, hence rounds) and removes them, children before parents. Bounded: after about two
 * seconds a folder that still will not go is left, and said so by the return value.
 */
export async function killAndRemove(folders: readonly string[]): Promise<boolean> {
  const remaining = new Set(folders);
  for (let round = 0; round < REMOVE_ROUNDS && remaining.size > 0; round += 1) {
    for (const folder of [...remaining]) {
      const pids = await cgroupMembers(folder);
      if (pids.length > 0) {
        signalEach(pids, 'SIGKILL');
        continue;
      }
      try {
        await rmdir(folder);
        remaining.delete(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') remaining.delete(folder);
      }
    }
    if (remaining.size > 0) await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
  }
  return remaining.size === 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes session cgroups (`<server pid>-<random>`) under `parent` whose server is gone: a crash skips
 * close(). Those of a live server, ours or another's, are left alone.
 */
export async function removeOrphanCgroups(parent: string): Promise<number> {
  const names = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const orphans = names
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, owner: Number(/^(\d+)-/.exec(entry.name)?.[1]) }))
    .filter(({ owner }) => Number.isInteger(owner) && owner > 0 && !isAlive(owner))
    .map(({ name }) => join(parent, name));
  await killAndRemove(orphans);
  return orphans.length;
}
