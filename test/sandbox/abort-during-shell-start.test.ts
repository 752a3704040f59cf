/**
 * An Interrupt (an aborted signal) that arrives while the shell is still starting must stop the command
 * before it runs. run() starts the shell (sandbox, startup script) before it listens for the abort, and
 * runIsolated prepares the sandbox first: an abort in that window used to be missed, and the command ran.
 * The slow start is held open by the test itself (a startup script reading a fifo, a prepare() waiting on
 * a promise), so the abort lands inside it every time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { createHostSession } from '../../src/sandbox/host-session.ts';
import { isolatedBashArguments } from '../../src/sandbox/isolated-shell.ts';
import { PersistentShell } from '../../src/sandbox/persistent-shell.ts';
import type { RunningShell, ShellBackend, ShellLaunch } from '../../src/sandbox/shell-backend.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { dockerWithImage } from './docker-available.ts';

const backends: Array<[string, boolean, (options: ShellSessionOptions) => ShellSession]> = [
  ['host', true, (options) => createHostSession(options)],
  [
    'bwrap',
    requirement('bubblewrap (bwrap)', hasExecutable('bwrap')),
    (options) => createBwrapSession(options),
  ],
  [
    'docker',
    requirement('a Docker engine with the sandbox image (scripts/ci-docker.sh)', dockerWithImage()),
    (options) => createDockerSession(options),
  ],
];

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('mp-abort-start-');
});
afterEach(() => temp.remove());

describe.each(backends)('an abort while the %s shell starts', (_name, available, create) => {
  it.runIf(available)(
    'stops the command before it runs',
    async () => {
      const workspace = temp.path;
      execFileSync('mkfifo', [join(workspace, 'started.fifo'), join(workspace, 'go.fifo')]);
      const session = create({
        workspace,
        // Says it is running, then waits until the test lets it finish.
        startupScript: 'echo starting > started.fifo\nread -r _ < go.fifo',
      });
      try {
        const controller = new AbortController();
        const result = session.run('touch ran', { signal: controller.signal });
        expect(await readFile(join(workspace, 'started.fifo'), 'utf8')).toBe('starting\n');
        controller.abort();
        await writeFile(join(workspace, 'go.fifo'), 'go\n');
        expect(await result).toMatchObject({ status: 'interrupted', exitCode: null, output: '' });
        expect(existsSync(join(workspace, 'ran'))).toBe(false);
        // The shell itself started and serves the next command.
        expect(await session.run('echo next')).toMatchObject({ status: 'completed', output: 'next\n' });
      } finally {
        await session.close();
      }
    },
    60_000,
  );
});

/** tsconfig's lib predates Promise.withResolvers. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A host bash whose prepare() waits until the test releases it, like a container that is slow to start. */
class SlowToPrepare implements ShellBackend {
  readonly sandbox = 'host' as const;
  readonly isolatedControl = this;
  readonly #workspace: string;
  readonly preparing = deferred();
  readonly release = deferred();
  isolatedLaunches = 0;

  constructor(workspace: string) {
    this.#workspace = workspace;
  }

  async prepare(): Promise<void> {
    this.preparing.resolve();
    await this.release.promise;
  }

  launch(): ShellLaunch {
    return { file: 'bash', args: ['--noprofile', '--norc'], env: {}, cwd: this.#workspace, detached: true };
  }

  launchIsolated(request: { command: string; cwd: string }): ShellLaunch {
    this.isolatedLaunches += 1;
    return {
      file: 'bash',
      args: isolatedBashArguments(request),
      env: {},
      cwd: this.#workspace,
      detached: true,
    };
  }

  async signalShell(shell: RunningShell, signal: NodeJS.Signals): Promise<void> {
    signalGroup(shell, signal);
  }

  async signalOthers(): Promise<void> {}

  async waitForOthers(): Promise<void> {}

  async killAll(shell: RunningShell): Promise<void> {
    signalGroup(shell, 'SIGKILL');
  }

  async dispose(): Promise<void> {}
}

function signalGroup(shell: RunningShell, signal: NodeJS.Signals): void {
  try {
    process.kill(-shell.processId, signal);
  } catch {
    // Already gone.
  }
}

describe('an abort while the sandbox is prepared', () => {
  it.each(['run', 'runIsolated'] as const)('stops %s before it runs', async (method) => {
    const workspace = temp.path;
    const backend = new SlowToPrepare(workspace);
    const session = new PersistentShell(backend, { workspace });
    try {
      const controller = new AbortController();
      const result = session[method](`touch '${join(workspace, 'ran')}'`, { signal: controller.signal });
      await backend.preparing.promise;
      controller.abort();
      backend.release.resolve();
      expect(await result).toMatchObject({ status: 'interrupted', exitCode: null, output: '' });
      expect(existsSync(join(workspace, 'ran'))).toBe(false);
      // Not even started and then killed: a kill races the command it is meant to stop.
      expect(backend.isolatedLaunches).toBe(0);
      expect(await session[method]('echo next')).toMatchObject({ status: 'completed', output: 'next\n' });
    } finally {
      await session.close();
    }
  });
});
