/**
 * How the kernel enforces a sandbox's ResourceLimits here, and the watch that names the limit a command
 * ran into (issue 7, item 6).
 *
 * - cgroups where we may make them (v1 controllers, or v2 with a delegated subtree): one cgroup per
 *   session for processes, memory and CPU share. The shell's launcher joins it before it runs bwrap, so
 *   every process of the sandbox is in it from its first instruction (moving bwrap's pid in after the
 *   spawn would leave a window in which it has already forked).
 * - rlimits always for what cgroups cannot do (RLIMIT_FSIZE: the largest file; RLIMIT_CPU: CPU seconds),
 *   and in place of cgroups where none are writable: RLIMIT_NPROC (which root ignores) and RLIMIT_DATA,
 *   both per process rather than per sandbox, and `mp doctor` says so.
 * - tmpfs sizes are bwrap's `--size` (bwrap-arguments.ts) and docker's `--tmpfs …:size=`.
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat, statfs } from 'node:fs/promises';
import { DISK_RESERVE_MIB, type DiskUsage, diskLimitHit } from '../core/disk-limit.ts';
import {
  DEFAULT_RESOURCE_LIMITS,
  type LimitHit,
  limitHit,
  limitHitFromEnding,
  type ResourceLimits,
} from '../core/resource-limits.ts';
import { cgroupPlaces, LIMIT_CONTROLLERS, type LimitController } from './cgroup-mounts.ts';
import { createV1Cgroup, prepareV1Parents, type V1Parents } from './cgroup-v1.ts';
import { createV2Cgroup, prepareV2Parent } from './cgroup-v2.ts';
import { SandboxStartError } from './sandbox-start-error.ts';
import { type LimitCounters, removeOrphanCgroups, type SessionCgroup } from './session-cgroup.ts';
import type { ShellLaunch } from './shell-backend.ts';

/** What this machine lets us enforce, found once per process. */
export interface LimitEnforcement {
  cgroup:
    | { version: 1; parents: V1Parents; controllers: LimitController[] }
    | { version: 2; parent: string; controllers: LimitController[] }
    | null;
  /** Why a controller (or cgroups altogether) is not used, for `mp doctor`. */
  problems: string[];
  /** RLIMIT_NPROC binds only processes of a user other than root. */
  root: boolean;
}

async function detectEnforcement(): Promise<LimitEnforcement> {
  const root = process.getuid?.() === 0;
  const places = await cgroupPlaces();
  if (Object.keys(places.v1).length > 0) {
    const { parents, problems } = await prepareV1Parents(places.v1);
    await Promise.all(Object.values(parents).map((parent) => removeOrphanCgroups(parent)));
    const controllers = LIMIT_CONTROLLERS.filter((controller) => parents[controller] !== undefined);
    for (const controller of LIMIT_CONTROLLERS) {
      if (places.v1[controller] === undefined)
        problems.push(`${controller}: no cgroup v1 hierarchy carries it`);
    }
    return { cgroup: controllers.length > 0 ? { version: 1, parents, controllers } : null, problems, root };
  }
  if (places.v2 !== null) {
    const { parent, controllers, problems } = await prepareV2Parent(places.v2);
    if (parent !== null) await removeOrphanCgroups(parent);
    const cgroup =
      parent !== null && controllers.length > 0 ? { version: 2 as const, parent, controllers } : null;
    return { cgroup, problems, root };
  }
  return { cgroup: null, problems: ['no cgroup file system is mounted'], root };
}

let detected: Promise<LimitEnforcement> | null = null;

/** Memoized: the first call makes `modelprogrammer/` under our cgroups; later calls reuse what it found. */
export function limitEnforcement(): Promise<LimitEnforcement> {
  detected ??= detectEnforcement();
  return detected;
}

function enforces(enforcement: LimitEnforcement, controller: LimitController): boolean {
  return enforcement.cgroup?.controllers.includes(controller) ?? false;
}

/** How each limit is enforced in a bwrap sandbox here, one phrase per limit, for `mp doctor`. */
export function describeBwrapEnforcement(enforcement: LimitEnforcement): string[] {
  const version = enforcement.cgroup?.version;
  const by = (controller: LimitController, fallback: string): string =>
    enforces(enforcement, controller)
      ? `cgroup v${version} ${controller} controller (whole sandbox)`
      : fallback;
  return [
    `processes: ${by('pids', enforcement.root ? 'NOT enforced (root ignores RLIMIT_NPROC and no pids cgroup is writable)' : 'RLIMIT_NPROC (per user, approximate)')}`,
    `memory: ${by('memory', 'RLIMIT_DATA (per process, not the whole sandbox)')}`,
    `CPU share: ${by('cpu', 'NOT enforced (no cpu cgroup is writable)')}`,
    'CPU time per process: RLIMIT_CPU (when set)',
    'file size: RLIMIT_FSIZE',
    'tmpfs size (/tmp, /var/tmp, home): bwrap --size',
    "disk filled per command: the server watches the workspace's disk (statfs) and stops the command",
    ...enforcement.problems.map((problem) => `(${problem})`),
  ];
}

/**
 * `mp doctor`'s section: the defaults, then per backend how each limit is enforced on this machine.
 *
 * @example
 * console.log(resourceLimitLines(await limitEnforcement()).join('\n'));
 */
export function resourceLimitLines(enforcement: LimitEnforcement): string[] {
  const d = DEFAULT_RESOURCE_LIMITS;
  return [
    `Resource limits (defaults: ${d.processes} processes, ${d.memoryMiB} MiB memory, ${d.cpus} CPUs, ` +
      `${d.cpuTimeSeconds === null ? 'no CPU time limit' : `${d.cpuTimeSeconds} CPU s per process`}, ` +
      `files up to ${d.fileSizeMiB} MiB, tmpfs ${d.tmpfsMiB} MiB, ${d.diskMiB} MiB of disk per command and ` +
      `${DISK_RESERVE_MIB} MiB of it kept free; a conversation's settings.limits changes them)`,
    '  bwrap',
    ...describeBwrapEnforcement(enforcement).map((line) => `    ${line}`),
    '  docker',
    "    the engine's cgroup and rlimits: --pids-limit, --memory = --memory-swap, --cpus, --ulimit fsize and cpu, --tmpfs size",
    "    disk filled per command: the server watches the workspace's disk (statfs), as for bwrap",
    '  host',
    '    none (no isolation)',
  ];
}

/** Processes of user `uid` now: RLIMIT_NPROC counts them all, so the fallback limit is on top of these. */
async function processesOfUser(uid: number): Promise<number> {
  const names = (await readdir('/proc').catch(() => [])).filter((name) => /^[0-9]+$/.test(name));
  const owners = await Promise.all(
    names.map((name) =>
      stat(`/proc/${name}`).then(
        (s) => s.uid,
        () => -1,
      ),
    ),
  );
  return owners.filter((owner) => owner === uid).length;
}

/** What the launcher says when the program it should run is not there or cannot be run (exit 127 or 126). */
const UNRUNNABLE = /^mp-limits: cannot run (.*): (not found \(ENOENT\)|not executable \(EACCES\))$/m;

/**
 * The launcher's own report that it could not run the program it wraps (a missing or broken bwrap), as
 * `{ program, reason }`; null when stderr holds no such report (the program ran and failed by itself).
 */
export function unrunnableProgram(stderr: string): { program: string; reason: string } | null {
  const match = UNRUNNABLE.exec(stderr);
  return match === null ? null : { program: match[1]!, reason: match[2]! };
}

/**
 * The launcher that puts the sandbox under its limits: a bash that writes its own pid into the session's
 * cgroups, sets the rlimits (hard and soft, so nothing inside can raise them), then execs the real
 * command. A failed join ends it with 125 and a line on stderr, so the shell does not start unlimited. A
 * program that is missing or not executable ends it with 127 or 126 and a line unrunnableProgram() reads,
 * rather than bash's own complaint about a line of a script nobody wrote.
 */
export function limitedLaunch(
  launch: ShellLaunch,
  options: { joinFiles: readonly string[]; ulimits: readonly string[] },
): ShellLaunch {
  const script = [
    'for file; do shift; [ "$file" = -- ] && break',
    '  echo $$ 2>/dev/null > "$file" || { echo "could not join the sandbox cgroup ($file)" >&2; exit 125; }',
    'done',
    'if ! builtin type -P -- "$1" >/dev/null; then',
    '  if [ -e "$1" ]; then echo "mp-limits: cannot run $1: not executable (EACCES)" >&2; exit 126; fi',
    '  echo "mp-limits: cannot run $1: not found (ENOENT)" >&2; exit 127',
    'fi',
    ...options.ulimits.map((flags) => `ulimit ${flags} || exit 125`),
    'exec "$@"',
  ].join('\n');
  return {
    ...launch,
    file: 'bash',
    args: [
      '--noprofile',
      '--norc',
      '-c',
      script,
      'mp-limits',
      ...options.joinFiles,
      '--',
      launch.file,
      ...launch.args,
    ],
    // The launcher needs PATH to find bwrap; bwrap clears the environment before the shell starts.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...launch.env },
  };
}

/** The watch between commands: only what background processes can do to the machine beyond the cgroup's bounds. */
export interface IdleWatch {
  /** Ends the watch; the hit that stopped the sandbox meanwhile, if one did. */
  end(): LimitHit | null;
}

export interface CommandWatch {
  /** The limit the command ran into, by the kernel's counters or by how it ended; null if none. */
  finish(ending: { exitCode: number | null; output: string }): Promise<LimitHit | null>;
}

/** The part of a backend PersistentShell asks while a command runs. */
export interface CommandLimits {
  /**
   * Starts watching one command. `stop` is called (once) when a limit is hit that should end the command
   * at once: the process limit, since bash retries a refused fork for seconds and a fork bomb would spin
   * against the limit until its timeout.
   */
  watch(stop: (hit: LimitHit) => void): Promise<CommandWatch>;
  /**
   * Watches the disk from the end of one command to the start of the next: a writer left in the background
   * would otherwise fill it unwatched. `stop` ends the sandbox's processes.
   */
  watchIdle?(stop: (hit: LimitHit) => void): Promise<IdleWatch>;
}

const POLL_MS = 100;
/** bash's words for a refused fork and common allocators' for a refused allocation, for rlimit fallbacks. */
const FORK_REFUSED = /\bfork: (retry: )?Resource temporarily unavailable\b/;
const ALLOCATION_REFUSED = /\b(memory exhausted|Cannot allocate memory|out of memory)\b/i;

export class LimitWatcher implements CommandLimits {
  readonly #limits: ResourceLimits;
  readonly #counters: (() => Promise<LimitCounters>) | null;
  readonly #byOutput: { processes: boolean; memory: boolean };
  readonly #disk: (() => Promise<DiskUsage>) | null;

  constructor(options: {
    limits: ResourceLimits;
    counters: (() => Promise<LimitCounters>) | null;
    /** Limits enforced by rlimits only, whose hits show only in a command's output. */
    byOutput?: { processes: boolean; memory: boolean };
    /** The workspace as the host sees it: its disk is watched while a command runs (core/disk-limit.ts). */
    workspace?: string;
  }) {
    this.#limits = options.limits;
    this.#counters = options.counters;
    this.#byOutput = options.byOutput ?? { processes: false, memory: false };
    const workspace = options.workspace;
    this.#disk = workspace === undefined ? null : () => diskUsage(workspace);
  }

  async watch(stop: (hit: LimitHit) => void): Promise<CommandWatch> {
    const counters = this.#counters;
    const disk = this.#disk;
    const limits = this.#limits;
    const [before, diskBefore] = await Promise.all([counters?.() ?? null, disk?.() ?? null]);
    const diskHit = async (): Promise<LimitHit | null> =>
      disk === null || diskBefore === null ? null : diskLimitHit(diskBefore, await disk(), limits);
    const processHit = async (): Promise<LimitHit | null> =>
      counters !== null && before !== null && (await counters()).processLimitHits > before.processLimitHits
        ? limitHit('processes', limits)
        : null;
    const polling =
      counters !== null || disk !== null
        ? pollForHit(async () => (await processHit()) ?? (await diskHit()), POLL_MS, stop)
        : null;
    return {
      finish: async (ending) => {
        const stoppedFor = polling?.end() ?? null;
        if (stoppedFor !== null) return stoppedFor;
        if (counters !== null && before !== null) {
          const after = await counters();
          if (after.oomKills > before.oomKills) return limitHit('memory', limits);
          if (after.processLimitHits > before.processLimitHits) return limitHit('processes', limits);
        }
        const byEnding = limitHitFromEnding(ending, limits);
        if (byEnding !== null) return byEnding;
        if (this.#byOutput.processes && FORK_REFUSED.test(ending.output))
          return limitHit('processes', limits);
        if (this.#byOutput.memory && ALLOCATION_REFUSED.test(ending.output))
          return limitHit('memory', limits);
        // A writer quicker than the poll ends over the limit before it is seen: named all the same.
        return await diskHit().catch(() => null);
      },
    };
  }

  async watchIdle(stop: (hit: LimitHit) => void): Promise<IdleWatch> {
    const disk = this.#disk;
    const limits = this.#limits;
    // A disk that cannot be read now (the workspace removed) is not watched until the next command's watch.
    const before = disk === null ? null : await disk().catch(() => null);
    if (disk === null || before === null) return { end: () => null };
    return pollForHit(async () => diskLimitHit(before, await disk(), limits), IDLE_POLL_MS, stop);
  }
}

/**
 * Asks `check` every `intervalMs` until it names a hit (then calls `stop`, once) or until `end()`. A read
 * that fails (a cgroup or workspace gone under it) counts as no hit and is tried again at the next tick.
 * The timer is unref'd: an idle sandbox must not keep alive a process with nothing else to do.
 */
function pollForHit(
  check: () => Promise<LimitHit | null>,
  intervalMs: number,
  stop: (hit: LimitHit) => void,
): IdleWatch {
  let stoppedFor: LimitHit | null = null;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    const hit = await check().catch(() => null);
    if (ended) return;
    if (hit === null) {
      timer = setTimeout(() => void tick(), intervalMs).unref();
      return;
    }
    stoppedFor = hit;
    stop(hit);
  };
  timer = setTimeout(() => void tick(), intervalMs).unref();
  return {
    end: () => {
      ended = true;
      clearTimeout(timer);
      return stoppedFor;
    },
  };
}

/** Between commands, only a background writer can fill the disk: a slower poll is enough. */
const IDLE_POLL_MS = 250;

/** The counters of the file system holding `path`. */
async function diskUsage(path: string): Promise<DiskUsage> {
  const counts = await statfs(path);
  return {
    usedBytes: (counts.blocks - counts.bfree) * counts.bsize,
    availableBytes: counts.bavail * counts.bsize,
    sizeBytes: counts.blocks * counts.bsize,
  };
}

/** A bwrap session's limits: its cgroup (if any), the launcher's rlimits and the watch. */
export class SessionLimits {
  readonly watcher: LimitWatcher;
  readonly #cgroup: SessionCgroup | null;
  readonly #ulimits: string[];

  private constructor(cgroup: SessionCgroup | null, ulimits: string[], watcher: LimitWatcher) {
    this.#cgroup = cgroup;
    this.#ulimits = ulimits;
    this.watcher = watcher;
  }

  static async create(
    limits: ResourceLimits,
    enforcement: LimitEnforcement,
    workspace?: string,
  ): Promise<SessionLimits> {
    const name = `${process.pid}-${randomBytes(6).toString('hex')}`;
    let cgroup: SessionCgroup | null;
    try {
      cgroup =
        enforcement.cgroup === null
          ? null
          : enforcement.cgroup.version === 1
            ? await createV1Cgroup(enforcement.cgroup.parents, name, limits)
            : await createV2Cgroup(enforcement.cgroup.parent, enforcement.cgroup.controllers, name, limits);
    } catch (error) {
      // Fail closed: a sandbox without the limits it was promised does not start.
      throw new SandboxStartError(
        'bwrap',
        `could not create the sandbox's cgroup ${name}: ${(error as Error).message} (\`mp doctor\` says how limits are enforced here)`,
        { cause: error },
      );
    }
    // bash's ulimit counts -f and -d in KiB.
    const ulimits = [`-f ${limits.fileSizeMiB * 1024}`];
    // The kernel sends SIGKILL at the hard limit and SIGXCPU at the soft one; a hard limit a second above
    // lets the command end with SIGXCPU (exit 152), which names the limit, unless it ignores the signal.
    if (limits.cpuTimeSeconds !== null) {
      // The soft limit first: a hard limit below the current soft one (unlimited) is refused.
      ulimits.push(`-S -t ${limits.cpuTimeSeconds}`, `-H -t ${limits.cpuTimeSeconds + 1}`);
    }
    const processesByRlimit = !enforces(enforcement, 'pids') && !enforcement.root;
    if (processesByRlimit) {
      const uid = process.getuid?.() ?? 0;
      ulimits.push(`-u ${limits.processes + (await processesOfUser(uid))}`);
    }
    const memoryByRlimit = !enforces(enforcement, 'memory');
    if (memoryByRlimit) ulimits.push(`-d ${limits.memoryMiB * 1024}`);
    const watcher = new LimitWatcher({
      limits,
      counters: cgroup === null ? null : () => cgroup.counters(),
      byOutput: { processes: processesByRlimit, memory: memoryByRlimit },
      ...(workspace === undefined ? {} : { workspace }),
    });
    return new SessionLimits(cgroup, ulimits, watcher);
  }

  wrap(launch: ShellLaunch): ShellLaunch {
    return limitedLaunch(launch, { joinFiles: this.#cgroup?.joinFiles ?? [], ulimits: this.#ulimits });
  }

  /** Kills what is left in the cgroup and removes it. Never throws. */
  async remove(): Promise<void> {
    await this.#cgroup?.remove();
  }
}
