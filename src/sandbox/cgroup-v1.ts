/**
 * Session cgroups on cgroup v1 (one hierarchy per controller, as this project's CI machines have them):
 * a folder per session under `<our cgroup>/modelprogrammer/` in the pids, memory and cpu hierarchies.
 * v1 lets a cgroup that holds processes have children, so nothing of the server has to move.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MIB, type ResourceLimits } from '../core/resource-limits.ts';
import type { LimitController } from './cgroup-mounts.ts';
import {
  CPU_PERIOD_US,
  countersFrom,
  cpuQuotaUs,
  killAndRemove,
  type SessionCgroup,
  writeSetting,
} from './session-cgroup.ts';

export type V1Parents = Partial<Record<LimitController, string>>;

/** Makes `modelprogrammer/` under our cgroup in each hierarchy; says per controller why it could not. */
export async function prepareV1Parents(
  places: Partial<Record<LimitController, string>>,
): Promise<{ parents: V1Parents; problems: string[] }> {
  const parents: V1Parents = {};
  const problems: string[] = [];
  for (const [controller, place] of Object.entries(places) as [LimitController, string][]) {
    const parent = join(place, 'modelprogrammer');
    try {
      await mkdir(parent, { recursive: true });
      await access(join(parent, 'cgroup.procs'));
      parents[controller] = parent;
    } catch (error) {
      problems.push(
        `${controller}: cannot create ${parent} (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  }
  return { parents, problems };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function applyLimit(
  controller: LimitController,
  folder: string,
  limits: ResourceLimits,
): Promise<void> {
  if (controller === 'pids') await writeSetting(folder, 'pids.max', String(limits.processes));
  else if (controller === 'memory') {
    const bytes = String(limits.memoryMiB * MIB);
    // memsw (memory + swap) may not be below the memory limit, so the memory limit goes first.
    await writeSetting(folder, 'memory.limit_in_bytes', bytes);
    if (await exists(join(folder, 'memory.memsw.limit_in_bytes'))) {
      await writeSetting(folder, 'memory.memsw.limit_in_bytes', bytes);
    }
  } else {
    await writeSetting(folder, 'cpu.cfs_period_us', String(CPU_PERIOD_US));
    await writeSetting(folder, 'cpu.cfs_quota_us', String(cpuQuotaUs(limits.cpus)));
  }
}

/** A session's cgroup in every prepared hierarchy, its limits written before any process joins. */
export async function createV1Cgroup(
  parents: V1Parents,
  name: string,
  limits: ResourceLimits,
): Promise<SessionCgroup> {
  const folders: Partial<Record<LimitController, string>> = {};
  try {
    for (const [controller, parent] of Object.entries(parents) as [LimitController, string][]) {
      const folder = join(parent, name);
      await mkdir(folder);
      folders[controller] = folder;
      await applyLimit(controller, folder, limits);
    }
  } catch (error) {
    await killAndRemove(Object.values(folders));
    throw error;
  }
  const all = Object.values(folders);
  return {
    joinFiles: all.map((folder) => join(folder, 'cgroup.procs')),
    counters: countersFrom(v1CounterFiles(folders)),
    remove: async () => {
      await killAndRemove(all);
    },
  };
}

/** Where v1 keeps the counters: memory.oom_control's `oom_kill` (Linux 4.13+), pids.events' `max`. */
export function v1CounterFiles(folders: Partial<Record<LimitController, string>>) {
  return {
    oom:
      folders.memory === undefined
        ? null
        : { file: join(folders.memory, 'memory.oom_control'), key: 'oom_kill' },
    pids: folders.pids === undefined ? null : { file: join(folders.pids, 'pids.events'), key: 'max' },
  };
}
