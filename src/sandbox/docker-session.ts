/**
 * The `docker` backend: one long-lived container per session with the workspace mounted at its own path,
 * the shell a `docker exec -i … bash` into it. The container runs as our uid, with a read-only root, no
 * capabilities, no new privileges, and no network unless the session has it on. It is removed on close().
 *
 * Its pid 1 is a tiny bash loop rather than `sleep infinity`: it reaps orphans (pid 1 must), and stopping
 * a command may kill its `sleep` child without ending the container.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_RESOURCE_LIMITS } from '../core/resource-limits.ts';
import type { ShellSession, ShellSessionOptions } from '../core/shell-session.ts';
import { realFileProbe } from './bwrap-arguments.ts';
import { dockerIsolatedControl, dockerIsolatedLaunch } from './docker-isolated.ts';
import {
  type ContainerCgroup,
  containerCgroup,
  dockerLimitArguments,
  dockerTmpfsSize,
} from './docker-limits.ts';
import type { IsolatedRequest } from './isolated-shell.ts';
import { isWithin } from './path-within.ts';
import { PersistentShell } from './persistent-shell.ts';
import { signalEach } from './process-table.ts';
import { type CommandLimits, LimitWatcher } from './resource-limits.ts';
import { homeSecretPaths, SANDBOX_HOME, sandboxEnvironment } from './sandbox-environment.ts';
import { SandboxStartError } from './sandbox-start-error.ts';
import type { RunningShell, ShellBackend, ShellLaunch } from './shell-backend.ts';
import { hiddenDirs, resolveWorkspace } from './workspace-resolve.ts';

const run = promisify(execFile);

export const DEFAULT_DOCKER_IMAGE = 'modelprogrammer-sandbox:bookworm';
/** Label on every container we create, so leftovers of a crashed server can be found and removed. */
export const DOCKER_LABEL = 'org.modelprogrammer.sandbox';

export interface DockerSessionDependencies {
  image?: string;
  /** The docker CLI; `docker` from PATH by default. */
  dockerPath?: string;
  /** The real home, whose credential folders stay hidden if the workspace contains them. */
  realHome?: string;
  /** Where the CLI finds its engine (DOCKER_HOST…); this process's environment by default. */
  clientEnvironment?: Record<string, string | undefined>;
}

/** The keeper's sleep, told apart from a command's by this duration; killing it is harmless anyway. */
const KEEPER_SLEEP = 'sleep 86399';
const KEEPER = `trap "exit 0" TERM; while :; do ${KEEPER_SLEEP} & wait $!; done`;

/** Signals every process in the container except pid 1, the helper itself and the listed pids. */
export function signalScript(signal: string, spare: number[]): string {
  const spared = ['1', '$$', ...spare.map(String)].join('|');
  return `for d in /proc/[0-9]*; do p=\${d#/proc/}; case $p in ${spared}) ;; *) kill -s ${signal} "$p" 2>/dev/null;; esac; done`;
}

/**
 * Waits inside the container until only pid 1, the keeper's sleep, the shell and zombies are left, or
 * the limit passes; one `docker exec` rather than one per poll.
 */
export function waitScript(shellPid: number, limitMs: number): string {
  return [
    'busy() {',
    '  for d in /proc/[0-9]*; do',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '    p=${d#/proc/}',
    `    case $p in 1|$$|${shellPid}) continue;; esac`,
    '    state=; parent=',
    '    while read -r key value rest; do',
    '      case $key in State:) state=$value;; PPid:) parent=$value;; esac',
    '    done < "$d/status" 2>/dev/null || continue',
    '    [ "$state" = Z ] || [ "$parent" = $$ ] && continue',
    `    [ "$parent" = 1 ] && [ "$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null)" = '${KEEPER_SLEEP} ' ] && continue`,
    '    return 0',
    '  done',
    '  return 1',
    '}',
    `rounds=${Math.ceil(limitMs / 50)}`,
    'while busy && [ "$rounds" -gt 0 ]; do sleep 0.05; rounds=$((rounds - 1)); done',
  ].join('\n');
}

class DockerBackend implements ShellBackend {
  readonly sandbox = 'docker' as const;
  readonly isolatedControl = dockerIsolatedControl({
    exec: (script) => this.#exec(script),
    signalShell: (shell, signal) => this.signalShell(shell, signal),
  });
  readonly #options: ShellSessionOptions;
  readonly #docker: string;
  readonly #image: string;
  readonly #hiddenPaths: string[];
  readonly #clientEnvironment: Record<string, string | undefined>;
  readonly #name = `mp-sandbox-${randomBytes(6).toString('hex')}`;
  #created = false;
  readonly #realHome: string;
  #limitWatcher: LimitWatcher | null = null;
  #cgroup: ContainerCgroup | null = null;

  constructor(options: ShellSessionOptions, dependencies: DockerSessionDependencies) {
    this.#options = options;
    this.#docker = dependencies.dockerPath ?? 'docker';
    this.#image = dependencies.image ?? DEFAULT_DOCKER_IMAGE;
    this.#clientEnvironment = dependencies.clientEnvironment ?? process.env;
    this.#realHome = dependencies.realHome ?? homedir();
    this.#hiddenPaths = [...(options.hiddenPaths ?? []), ...homeSecretPaths(this.#realHome)];
  }

  get containerName(): string {
    return this.#name;
  }

  async prepare(): Promise<void> {
    // Mounted where it really is, and judged by the same rules as bwrap's (issue 7, item 4).
    const workspace = resolveWorkspace(this.#options.workspace, {
      home: this.#realHome,
      protectedDirs: hiddenDirs(this.#options.hiddenPaths ?? []),
    });
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const limits = this.#options.limits ?? DEFAULT_RESOURCE_LIMITS;
    const tmpfsSize = dockerTmpfsSize(limits);
    const args = [
      'run',
      '--detach',
      '--name',
      this.#name,
      '--label',
      `${DOCKER_LABEL}=1`,
      '--label',
      `${DOCKER_LABEL}.owner-pid=${process.pid}`,
      // Docker's default bridge: a namespace of its own whose 127.0.0.1 is the container's, so the host's
      // loopback (our server included) is out of reach. Never `host`, never a host-gateway alias.
      '--network',
      this.#options.network ? 'bridge' : 'none',
      '--user',
      `${uid}:${gid}`,
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--tmpfs',
      `/tmp:rw,exec,mode=1777,${tmpfsSize}`,
      '--tmpfs',
      `/var/tmp:rw,exec,mode=1777,${tmpfsSize}`,
      '--tmpfs',
      `${SANDBOX_HOME}:rw,exec,mode=1777,${tmpfsSize}`,
      ...dockerLimitArguments(limits),
      '--volume',
      `${workspace}:${workspace}`,
      ...this.#masks(workspace),
      '--workdir',
      workspace,
      '--entrypoint',
      'bash',
      this.#image,
      '-c',
      KEEPER,
    ];
    try {
      await run(this.#docker, args, { timeout: 60_000 });
      this.#created = true;
      this.#cgroup = await containerCgroup(
        this.#docker,
        this.#name,
        dockerClientEnvironment(this.#clientEnvironment),
      );
      this.#limitWatcher = new LimitWatcher({ limits, counters: this.#cgroup?.counters ?? null, workspace });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || String(error);
      throw new SandboxStartError('docker', `could not start a container from ${this.#image}: ${detail}`, {
        cause: error,
      });
    }
  }

  /** Hidden paths inside the workspace: an empty tmpfs over folders, /dev/null over files. */
  #masks(workspace: string): string[] {
    const masks: string[] = [];
    for (const path of new Set(this.#hiddenPaths.map((hidden) => realFileProbe.realpath(resolve(hidden))))) {
      if (path === null || !isWithin(path, workspace)) continue;
      const kind = realFileProbe.kind(path);
      if (kind === 'directory') masks.push('--tmpfs', `${path}:ro`);
      else if (kind === 'file') masks.push('--volume', `/dev/null:${path}:ro`);
    }
    return masks;
  }

  commandLimits(): CommandLimits | null {
    return this.#limitWatcher;
  }

  launch(): ShellLaunch {
    const environment = sandboxEnvironment(SANDBOX_HOME, this.#options.environment);
    const envArgs = Object.entries(environment).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
    return {
      file: this.#docker,
      args: ['exec', '--interactive', ...envArgs, this.#name, 'bash', '--noprofile', '--norc'],
      // The CLI needs to find its engine (DOCKER_HOST…); none of this reaches the container.
      env: dockerClientEnvironment(this.#clientEnvironment),
      detached: true,
    };
  }

  async #exec(script: string): Promise<void> {
    await run(this.#docker, ['exec', this.#name, 'sh', '-c', script], { timeout: 30_000 }).catch(
      () => undefined,
    );
  }

  async signalShell(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    if (shell.shellPid <= 0) return;
    await this.#exec(`kill -s ${signal.replace(/^SIG/, '')} ${shell.shellPid}`);
  }

  async signalOthers(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    if (shell.shellPid <= 0) return;
    await this.#exec(signalScript(signal.replace(/^SIG/, ''), [shell.shellPid]));
  }

  async waitForOthers(shell: RunningShell, limitMs: number): Promise<void> {
    if (shell.shellPid <= 0) return;
    await this.#exec(waitScript(shell.shellPid, limitMs));
  }

  async killAll(shell: RunningShell): Promise<void> {
    // From this side first where the container's cgroup is visible: at its process limit, `docker exec`
    // cannot start the helper that would kill from inside (a fork bomb holds every slot).
    if (this.#cgroup !== null) signalEach(await this.#cgroup.processesButInit(), 'SIGKILL');
    // SIGKILL is delivered asynchronously: wait (bounded) until the killed processes are really gone, so a
    // command reported as stopped has left nothing running.
    await this.#exec(`${signalScript('KILL', [])}\n${waitScript(shell.shellPid, 2000)}`);
    try {
      process.kill(shell.processId, 'SIGKILL');
    } catch {
      // The client already ended with its shell.
    }
  }

  launchIsolated(request: IsolatedRequest): ShellLaunch {
    return dockerIsolatedLaunch(this.launch(), request, this.#options.environment);
  }

  async dispose(): Promise<void> {
    if (!this.#created) return;
    await run(this.#docker, ['rm', '--force', this.#name], { timeout: 60_000 }).catch(() => undefined);
  }
}

const DOCKER_CLIENT_VARIABLES = [
  'PATH',
  'HOME',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
];

function dockerClientEnvironment(parent: Record<string, string | undefined>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of DOCKER_CLIENT_VARIABLES) {
    const value = parent[name];
    if (value !== undefined) environment[name] = value;
  }
  return environment;
}

/**
 * @example
 * const session = createDockerSession({ workspace: '/home/me/project' }, { image: 'my-sandbox:latest' });
 */
export function createDockerSession(
  options: ShellSessionOptions,
  dependencies: DockerSessionDependencies = {},
): ShellSession {
  return new PersistentShell(new DockerBackend(options, dependencies), options);
}

/** Removes containers left by servers that are gone (a crash skips close()). Returns how many. */
export async function removeOrphanContainers(dockerPath = 'docker'): Promise<number> {
  const { stdout } = await run(dockerPath, [
    'ps',
    '--all',
    '--filter',
    `label=${DOCKER_LABEL}`,
    '--format',
    `{{.ID}} {{.Label "${DOCKER_LABEL}.owner-pid"}}`,
  ]);
  const orphans = stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([id, owner]) => id !== undefined && id !== '' && !isAlive(Number(owner)))
    .map(([id]) => id!);
  if (orphans.length > 0) await run(dockerPath, ['rm', '--force', ...orphans]);
  return orphans.length;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
