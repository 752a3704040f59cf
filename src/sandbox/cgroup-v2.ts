/**
 * Session cgroups on cgroup v2 (the unified hierarchy), where the machine delegates a subtree to us
 * (root, or a systemd unit with Delegate=yes). v2 lets controllers be enabled for children only in a
 * cgroup without processes of its own, so `<our cgroup>/modelprogrammer/` is enabled from our cgroup;
 * when our cgroup holds processes and is not the root the kernel refuses, and limits fall back to rlimits
 * (resource-limits.ts says so in `mp doctor`).
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIB, type ResourceLimits } from '../core/resource-limits.ts';
import { LIMIT_CONTROLLERS, type LimitController } from './cgroup-mounts.ts';
import {
  CPU_PERIOD_US,
  countersFrom,
  cpuQuotaUs,
  killAndRemove,
  type SessionCgroup,
  writeSetting,
} from './session-cgroup.ts';

async function controllersOf(folder: string, file: string): Promise<string[]> {
  const text = await readFile(join(folder, file), 'utf8').catch(() => '');
  return text
    .trim()
    .split(/\s+/)
    .filter((name) => name !== '');
}

/** Enables our controllers for `<own>/modelprogrammer/*`; returns which work and why others do not. */
export async function prepareV2Parent(
  own: string,
): Promise<{ parent: string | null; controllers: LimitController[]; problems: string[] }> {
  const available = await controllersOf(own, 'cgroup.controllers');
  const wanted = LIMIT_CONTROLLERS.filter((controller) => available.includes(controller));
  const parent = join(own, 'modelprogrammer');
  try {
    await mkdir(parent, { recursive: true });
    await access(join(parent, 'cgroup.procs'));
    const enable = wanted.map((controller) => `+${controller}`).join(' ');
    const enabledInOwn = await controllersOf(own, 'cgroup.subtree_control');
    if (wanted.some((controller) => !enabledInOwn.includes(controller))) {
      await writeFile(join(own, 'cgroup.subtree_control'), enable);
    }
    await writeFile(join(parent, 'cgroup.subtree_control'), enable);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const why =
      code === 'EBUSY'
        ? `${own} holds processes, so v2 cannot enable controllers below it (run mp in a cgroup of its own with Delegate=yes)`
        : `${parent} is not writable here (${code}; cgroup v2 needs root or a delegated subtree)`;
    return { parent: null, controllers: [], problems: [why] };
  }
  const enabled = await controllersOf(parent, 'cgroup.subtree_control');
  const controllers = wanted.filter((controller) => enabled.includes(controller));
  const missing = LIMIT_CONTROLLERS.filter((controller) => !controllers.includes(controller));
  return {
    parent,
    controllers,
    problems: missing.map((controller) => `${controller}: not available to ${own}`),
  };
}

async function applyLimit(
  controller: LimitController,
  folder: string,
  limits: ResourceLimits,
): Promise<void> {
  if (controller === 'pids') await writeSetting(folder, 'pids.max', String(limits.processes));
  else if (controller === 'memory') {
    await writeSetting(folder, 'memory.max', String(limits.memoryMiB * MIB));
    await writeSetting(folder, 'memory.swap.max', '0').catch(() => undefined);
  } else {
    await writeSetting(folder, 'cpu.max', `${cpuQuotaUs(limits.cpus)} ${CPU_PERIOD_US}`);
  }
}

export async function createV2Cgroup(
  parent: string,
  controllers: readonly LimitController[],
  name: string,
  limits: ResourceLimits,
): Promise<SessionCgroup> {
  const folder = join(parent, name);
  await mkdir(folder);
  try {
    for (const controller of controllers) await applyLimit(controller, folder, limits);
  } catch (error) {
    await killAndRemove([folder]);
    throw error;
  }
  return {
    joinFiles: [join(folder, 'cgroup.procs')],
    counters: countersFrom(v2CounterFiles(folder, controllers)),
    remove: async () => {
      // cgroup.kill (Linux 5.14+) ends every member at once, forks in flight included.
      await writeFile(join(folder, 'cgroup.kill'), '1').catch(() => undefined);
      await killAndRemove([folder]);
    },
  };
}

/** v2 counters: memory.events' `oom_kill`, pids.events' `max`. */
export function v2CounterFiles(folder: string, controllers: readonly LimitController[]) {
  return {
    oom: controllers.includes('memory') ? { file: join(folder, 'memory.events'), key: 'oom_kill' } : null,
    pids: controllers.includes('pids') ? { file: join(folder, 'pids.events'), key: 'max' } : null,
  };
}
