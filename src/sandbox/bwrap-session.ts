/**
 * The `bwrap` backend (the default where bubblewrap works): the shell runs in new user, pid, mount, net,
 * ipc and uts namespaces with the file system of bwrap-arguments.ts. Every process of the session lives
 * in the sandbox's pid namespace under bwrap, so finding them is a walk of bwrap's descendants, and
 * killing bwrap's init ends them all (the kernel kills a pid namespace with its init).
 */
import { homedir } from 'node:os';
import { DEFAULT_RESOURCE_LIMITS, type ResourceLimits } from '../core/resource-limits.ts';
import type { ShellSession, ShellSessionOptions } from '../core/shell-session.ts';
import { bwrapArguments } from './bwrap-arguments.ts';
import { type IsolatedRequest, isolatedBwrapLaunch } from './isolated-shell.ts';
import { PersistentShell } from './persistent-shell.ts';
import { descendantsOf, namespacePid, readProcessTable, signalEach, waitUntilNone } from './process-table.ts';
import {
  type CommandLimits,
  type LimitEnforcement,
  limitEnforcement,
  SessionLimits,
  unrunnableProgram,
} from './resource-limits.ts';
import { homeSecretPaths } from './sandbox-environment.ts';
import {
  attachSandboxNetwork,
  findNetworkTool,
  type NetworkAttachment,
  type NetworkTool,
  NetworkToolMissingError,
  type NetworkToolPaths,
} from './sandbox-network.ts';
import type { RunningShell, ShellBackend, ShellLaunch } from './shell-backend.ts';
import { hiddenDirs, resolveWorkspace } from './workspace-resolve.ts';

const SWEEP_ROUNDS = 5;

export interface BwrapSessionDependencies {
  /** The bwrap executable; `bwrap` from PATH by default. */
  bwrapPath?: string;
  /** The real home, whose credential folders stay hidden; os.homedir() by default. */
  realHome?: string;
  /** How limits are enforced here; what limitEnforcement() finds by default (tests force the fallback). */
  limitEnforcement?: LimitEnforcement;
  /** Where the network helpers are (sandbox-network.ts); found on PATH by default. */
  networkTools?: NetworkToolPaths;
}

interface SandboxProcess {
  pid: number;
  namespacePid: number | null;
  zombie: boolean;
}

async function sandboxProcesses(shell: RunningShell): Promise<SandboxProcess[]> {
  const table = await readProcessTable().catch(() => []);
  const inside = descendantsOf(table, shell.processId);
  return Promise.all(
    inside.map(async ({ pid, state }) => ({
      pid,
      namespacePid: await namespacePid(pid),
      zombie: state === 'Z',
    })),
  );
}

/** Everything in the sandbox but its init (pid 1 inside), the shell, and zombies (already ended). */
async function otherProcesses(shell: RunningShell): Promise<number[]> {
  const others = (await sandboxProcesses(shell)).filter(
    (entry) =>
      !entry.zombie &&
      entry.namespacePid !== null &&
      entry.namespacePid !== 1 &&
      entry.namespacePid !== shell.shellPid,
  );
  return others.map((entry) => entry.pid);
}

class BwrapBackend implements ShellBackend {
  readonly sandbox = 'bwrap' as const;
  // An isolated shell is a sandbox of its own: its processes are found from its bwrap like the session's.
  readonly isolatedControl = this;
  readonly #options: ShellSessionOptions;
  readonly #bwrapPath: string;
  readonly #hiddenPaths: string[];
  readonly #resourceLimits: ResourceLimits;
  readonly #limitEnforcement: LimitEnforcement | undefined;
  #limits: SessionLimits | null = null;
  readonly #networkToolPaths: NetworkToolPaths;
  readonly #realHome: string;
  /** The workspace with symlinks resolved, once prepare() has judged it (workspace-resolve.ts). */
  #workspace: string | null = null;
  #networkTool: NetworkTool | null = null;
  /** Each shell's network helper, by the shell's processId, so killAll() leaves none behind. */
  readonly #networks = new Map<number, Promise<NetworkAttachment | null>>();

  constructor(options: ShellSessionOptions, dependencies: BwrapSessionDependencies) {
    this.#options = options;
    this.#bwrapPath = dependencies.bwrapPath ?? 'bwrap';
    this.#networkToolPaths = dependencies.networkTools ?? {};
    this.#realHome = dependencies.realHome ?? homedir();
    this.#resourceLimits = options.limits ?? DEFAULT_RESOURCE_LIMITS;
    this.#limitEnforcement = dependencies.limitEnforcement;
    this.#hiddenPaths = [...(options.hiddenPaths ?? []), ...homeSecretPaths(this.#realHome)];
  }

  async prepare(): Promise<void> {
    this.#workspace = resolveWorkspace(this.#options.workspace, {
      home: this.#realHome,
      protectedDirs: hiddenDirs(this.#options.hiddenPaths ?? []),
    });
    if (this.#options.network === true) {
      // Fail closed: without a helper, network on would mean the host's namespace, which is never used.
      this.#networkTool = await findNetworkTool(this.#networkToolPaths);
      if (this.#networkTool === null) throw new NetworkToolMissingError();
    }
    const enforcement = this.#limitEnforcement ?? (await limitEnforcement());
    this.#limits = await SessionLimits.create(this.#resourceLimits, enforcement, this.#workspace);
  }

  commandLimits(): CommandLimits | null {
    return this.#limits?.watcher ?? null;
  }

  launch(): ShellLaunch {
    const args = bwrapArguments({
      workspace: this.#workspace ?? this.#options.workspace,
      network: this.#options.network ?? false,
      hiddenPaths: this.#hiddenPaths,
      environment: this.#options.environment,
      tmpfsBytes: this.#resourceLimits.tmpfsMiB * 1024 * 1024,
    });
    // bwrap itself needs no environment; the shell's comes from --setenv after --clearenv.
    const launch: ShellLaunch = {
      file: this.#bwrapPath,
      args: [...args, 'bash', '--noprofile', '--norc'],
      env: {},
      detached: true,
    };
    const tool = this.#networkTool;
    if (this.#options.network === true && tool !== null) {
      launch.extraPipes = 3;
      launch.ready = async (child) => {
        const attaching = attachSandboxNetwork(child, tool);
        this.#networks.set(
          child.pid ?? -1,
          attaching.catch(() => null),
        );
        await attaching;
      };
    }
    // Every sandbox process starts inside the session's cgroup and under its rlimits (resource-limits.ts).
    return this.#limits === null ? launch : this.#limits.wrap(launch);
  }

  async signalShell(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    const inside = await sandboxProcesses(shell);
    signalEach(
      inside.filter((entry) => entry.namespacePid === shell.shellPid).map((entry) => entry.pid),
      signal,
    );
  }

  async signalOthers(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    signalEach(await otherProcesses(shell), signal);
  }

  async waitForOthers(shell: RunningShell, limitMs: number): Promise<void> {
    await waitUntilNone(() => otherProcesses(shell), limitMs);
  }

  async killAll(shell: RunningShell): Promise<void> {
    for (let round = 0; round < SWEEP_ROUNDS; round += 1) {
      const inside = (await sandboxProcesses(shell))
        .filter((entry) => !entry.zombie)
        .map((entry) => entry.pid);
      if (signalEach([shell.processId, ...inside], 'SIGKILL') === 0) break;
    }
    // Every killAll of this shell (its exit's and close()'s) waits for the same stop, so none returns early.
    await (await this.#networks.get(shell.processId))?.stop();
    this.#networks.delete(shell.processId);
  }

  explainStartFailure(stderr: string): string | undefined {
    const unrunnable = unrunnableProgram(stderr);
    if (unrunnable === null) return undefined;
    const where = unrunnable.program === 'bwrap' ? 'bwrap' : `bwrap at ${unrunnable.program}`;
    return (
      `cannot run ${where}: ${unrunnable.reason}. Install bubblewrap (Debian/Ubuntu: apt-get install ` +
      'bubblewrap), or choose the docker or host sandbox for this conversation; `mp doctor` says which ' +
      'sandboxes work here'
    );
  }

  launchIsolated(request: IsolatedRequest): ShellLaunch {
    return isolatedBwrapLaunch(this.launch(), request, this.#options.environment);
  }

  async dispose(): Promise<void> {
    await this.#limits?.remove();
  }
}

/**
 * @example
 * const session = createBwrapSession({ workspace: '/home/me/project', hiddenPaths: [dataDir, configDir] });
 * const result = await session.run('npm test', { timeoutMs: 120_000 });
 */
export function createBwrapSession(
  options: ShellSessionOptions,
  dependencies: BwrapSessionDependencies = {},
): ShellSession {
  return new PersistentShell(new BwrapBackend(options, dependencies), options);
}
