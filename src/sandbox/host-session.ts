/**
 * The `host` backend: a bash on the machine itself, with no isolation at all. It exists only for a person
 * who chooses it explicitly (the UI keeps a warning up). It still gets the allowlisted environment, so
 * commands do not see our API keys, and its processes are found by session id to stop them.
 */
import type { ShellSession, ShellSessionOptions } from '../core/shell-session.ts';
import { type IsolatedRequest, isolatedBashArguments, isolatedExtraEnvironment } from './isolated-shell.ts';
import { PersistentShell } from './persistent-shell.ts';
import { descendantsOf, readProcessTable, signalEach, waitUntilNone } from './process-table.ts';
import { hostEnvironment } from './sandbox-environment.ts';
import type { RunningShell, ShellBackend, ShellLaunch } from './shell-backend.ts';

export interface HostSessionDependencies {
  /** Where PATH, HOME, LANG… come from; defaults to this process's environment. */
  parentEnvironment?: Record<string, string | undefined>;
}

/** Rounds of finding and killing, for processes that fork while they are being killed. */
const SWEEP_ROUNDS = 5;

/**
 * The shell's session: it was started with setsid, so everything it starts shares its session id unless
 * it calls setsid itself; such a process is still found while its parent is in the tree. A daemon that
 * double-forks out of both is beyond reach on the host (docs/sandbox.md). Zombies are left out: they
 * have ended, and a frozen shell cannot reap them.
 */
async function sessionProcesses(shell: RunningShell): Promise<number[]> {
  const table = await readProcessTable().catch(() => []);
  const members = new Set<number>();
  for (const entry of table) if (entry.session === shell.processId) members.add(entry.pid);
  for (const entry of descendantsOf(table, shell.processId)) members.add(entry.pid);
  const zombies = new Set(table.filter((entry) => entry.state === 'Z').map((entry) => entry.pid));
  return [...members].filter((pid) => !zombies.has(pid));
}

async function otherProcesses(shell: RunningShell): Promise<number[]> {
  return (await sessionProcesses(shell)).filter((pid) => pid !== shell.processId);
}

class HostBackend implements ShellBackend {
  readonly sandbox = 'host' as const;
  // The isolated bash gets a session of its own (setsid), so the session's process search finds only it.
  readonly isolatedControl = this;
  readonly #options: ShellSessionOptions;
  readonly #parentEnvironment: Record<string, string | undefined>;

  constructor(options: ShellSessionOptions, dependencies: HostSessionDependencies) {
    this.#options = options;
    this.#parentEnvironment = dependencies.parentEnvironment ?? process.env;
  }

  async prepare(): Promise<void> {}

  launch(): ShellLaunch {
    return {
      file: 'bash',
      args: ['--noprofile', '--norc'],
      env: hostEnvironment(this.#parentEnvironment, this.#options.environment),
      cwd: this.#options.workspace,
      detached: true,
    };
  }

  async signalShell(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    signalEach([shell.processId], signal);
  }

  async signalOthers(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    signalEach(await otherProcesses(shell), signal);
  }

  async waitForOthers(shell: RunningShell, limitMs: number): Promise<void> {
    await waitUntilNone(() => otherProcesses(shell), limitMs);
  }

  async killAll(shell: RunningShell): Promise<void> {
    for (let round = 0; round < SWEEP_ROUNDS; round += 1) {
      const members = await sessionProcesses(shell);
      if (signalEach(new Set([shell.processId, ...members]), 'SIGKILL') === 0) return;
    }
  }

  // Never used by the read-only policy (on the host every command asks); a fresh bash all the same.
  launchIsolated(request: IsolatedRequest): ShellLaunch {
    return {
      file: 'bash',
      args: isolatedBashArguments(request),
      env: hostEnvironment(this.#parentEnvironment, isolatedExtraEnvironment(this.#options.environment)),
      cwd: this.#options.workspace,
      detached: true,
    };
  }

  async dispose(): Promise<void> {}
}

/**
 * @example
 * const session = createHostSession({ workspace: '/home/me/project' });
 * const result = await session.run('git status');
 */
export function createHostSession(
  options: ShellSessionOptions,
  dependencies: HostSessionDependencies = {},
): ShellSession {
  return new PersistentShell(new HostBackend(options, dependencies), options);
}
