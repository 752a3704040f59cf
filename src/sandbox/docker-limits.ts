/**
 * A docker sandbox's resource limits (issue 7, item 6): `docker run` flags that the engine turns into the
 * container's cgroup and rlimits, and the container's cgroup counters read from this side, so a command
 * that runs into a limit is named the same way as in bwrap (resource-limits.ts).
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { MIB, type ResourceLimits } from '../core/resource-limits.ts';
import { cgroupPlaces } from './cgroup-mounts.ts';
import { v1CounterFiles } from './cgroup-v1.ts';
import { v2CounterFiles } from './cgroup-v2.ts';
import { type CounterFiles, cgroupMembers, countersFrom, type LimitCounters } from './session-cgroup.ts';

const run = promisify(execFile);

/** Flags for `docker run`: the whole container's processes, memory (no swap beyond it) and CPU share. */
export function dockerLimitArguments(limits: ResourceLimits): string[] {
  const memory = `${limits.memoryMiB}m`;
  // Docker passes --ulimit values to setrlimit as they are: fsize in bytes, cpu in seconds.
  const fileSize = String(limits.fileSizeMiB * MIB);
  const args = [
    '--pids-limit',
    String(limits.processes),
    '--memory',
    memory,
    '--memory-swap',
    memory,
    '--cpus',
    String(limits.cpus),
    '--ulimit',
    `fsize=${fileSize}:${fileSize}`,
  ];
  if (limits.cpuTimeSeconds !== null) {
    // Soft below hard: the soft limit's SIGXCPU (exit 152) names the limit, the hard one's SIGKILL would not.
    args.push('--ulimit', `cpu=${limits.cpuTimeSeconds}:${limits.cpuTimeSeconds + 1}`);
  }
  return args;
}

/** The `--tmpfs` option's tail for a writable tmpfs of the sandbox's size. */
export function dockerTmpfsSize(limits: ResourceLimits): string {
  return `size=${limits.tmpfsMiB}m`;
}

async function readable(files: CounterFiles): Promise<boolean> {
  const paths = [files.oom?.file, files.pids?.file].filter((path) => path !== undefined);
  if (paths.length === 0) return false;
  return Promise.all(paths.map((path) => access(path))).then(
    () => true,
    () => false,
  );
}

/** A container's cgroup as seen from this machine. */
export interface ContainerCgroup {
  counters: () => Promise<LimitCounters>;
  /** Host pids of every process in the container but its init (pid 1 inside). */
  processesButInit: () => Promise<number[]>;
}

/**
 * A running container's cgroup, found through its init's pid on this machine; null when the engine runs
 * elsewhere (a remote DOCKER_HOST, a VM) or its cgroup cannot be read from here, in which case only
 * file-size and CPU-time hits (by exit status) are named.
 */
export async function containerCgroup(
  dockerPath: string,
  container: string,
  clientEnvironment: Record<string, string>,
): Promise<ContainerCgroup | null> {
  try {
    const { stdout } = await run(dockerPath, ['inspect', '--format', '{{.Id}} {{.State.Pid}}', container], {
      timeout: 30_000,
      env: clientEnvironment,
    });
    const [id = '', pidText = ''] = stdout.trim().split(' ');
    const init = Number(pidText);
    if (!Number.isInteger(init) || init <= 0 || id === '') return null;
    const places = await cgroupPlaces(init);
    // A pid from an engine on another machine names some unrelated local process, whose cgroup path does
    // not carry the container's id as docker's do (/docker/<id>, docker-<id>.scope).
    const ours = (folder: string | null | undefined): folder is string => folder?.includes(id) ?? false;
    const cgroup = (files: CounterFiles, folder: string): ContainerCgroup => ({
      counters: countersFrom(files),
      processesButInit: async () => (await cgroupMembers(folder)).filter((pid) => pid !== init),
    });
    const v1 = v1CounterFiles(places.v1);
    if (ours(places.v1.pids) && ours(places.v1.memory) && (await readable(v1))) {
      return cgroup(v1, places.v1.pids);
    }
    if (ours(places.v2)) {
      const v2 = v2CounterFiles(places.v2, ['pids', 'memory']);
      if (await readable(v2)) return cgroup(v2, places.v2);
    }
    return null;
  } catch {
    return null;
  }
}
