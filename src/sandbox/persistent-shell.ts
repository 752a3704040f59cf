/**
 * One persistent bash behind the ShellSession port, whatever runs it: the backends (bwrap, docker, host)
 * only say how to launch the shell and how to signal its processes (shell-backend.ts). Framing is in
 * command-framing.ts, the shell process and the news of its end in live-shell.ts.
 *
 * Stopping a command (timeout or interrupt) ends the shell with it. A non-interactive bash goes on with
 * the rest of a command list when a child dies of a signal (`make; rm -rf out` would still remove), so
 * the shell is frozen first (SIGSTOP); then every other process of the session gets SIGINT (interrupt)
 * or SIGTERM (timeout) and up to the grace period to exit; then everything, shell included, is killed.
 * The next command starts a new shell, which runs the startup script again and returns to the last cwd;
 * variables and functions set by earlier commands are lost. Nothing a stopped command started (background
 * jobs included) outlives it.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConflictError } from '../core/errors.ts';
import type { LimitHit } from '../core/resource-limits.ts';
import {
  type CommandResult,
  type CommandStatus,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  type RunOptions,
  type SandboxKind,
  type ShellSession,
  type ShellStart,
} from '../core/shell-session.ts';
import { endedCommand, type StopReason, stopCommandProcesses } from './command-ending.ts';
import { controlLine, MarkerScanner, newMarkerToken, preamble } from './command-framing.ts';
import { IsolatedRun } from './isolated-run.ts';
import { type LiveShell, launchShell } from './live-shell.ts';
import { OutputBuffer } from './output-buffer.ts';
import { isWithin } from './path-within.ts';
import type { IdleWatch } from './resource-limits.ts';
import { SandboxStartError } from './sandbox-start-error.ts';
import type { ShellBackend } from './shell-backend.ts';

export interface PersistentShellOptions {
  workspace: string;
  startupScript?: string | undefined;
  maxOutputBytes?: number | undefined;
  defaultTimeoutMs?: number | undefined;
  killGraceMs?: number | undefined;
  /** How long a new shell may take to answer its first marker (a container start can be slow). */
  startTimeoutMs?: number | undefined;
  /** Where the first shell goes after its startup script (a shell reopened where the last one was). */
  initialCwd?: string | undefined;
}

type CommandEnd = { kind: 'marker'; value: number; cwd: string } | { kind: 'died'; exitCode: number | null };

interface ActiveCommand {
  shell: LiveShell;
  scanner: MarkerScanner;
  buffer: OutputBuffer | null;
  stopReason: StopReason | null;
  stopping: Promise<void> | null;
  settle: (end: CommandEnd) => void;
}

export class PersistentShell implements ShellSession {
  readonly sandbox: SandboxKind;
  readonly workspace: string;
  readonly #backend: ShellBackend;
  readonly #options: PersistentShellOptions;
  #prepared = false;
  #shell: LiveShell | null = null;
  #active: ActiveCommand | null = null;
  #cwd: string;
  #everStarted = false;
  #closed = false;
  #lastStart: ShellStart | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  /** The runIsolated command running now, if any (it holds the queue like a command of the shell). */
  #isolated: IsolatedRun | null = null;
  #previousCleanup: Promise<void> = Promise.resolve();
  /** The disk watched between commands (resource-limits.ts): a background writer is stopped there too. */
  #idleWatch: IdleWatch | null = null;
  /** The limit that stopped the sandbox between commands, for the next command's output. */
  #stoppedBetween: LimitHit | null = null;
  #idleStop: Promise<unknown> | null = null;

  constructor(backend: ShellBackend, options: PersistentShellOptions) {
    this.sandbox = backend.sandbox;
    this.workspace = options.workspace;
    this.#backend = backend;
    this.#options = options;
    this.#cwd = options.initialCwd ?? options.workspace;
  }

  start(): Promise<ShellStart> {
    return this.#enqueue(async () => {
      if (this.#shell !== null && this.#lastStart !== null) return this.#lastStart;
      return this.#startShell();
    });
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.#enqueue(async () => {
      await this.#endIdleWatch();
      try {
        return await this.#runInShell(command, options);
      } finally {
        // Whatever became of the command (aborted, refused), a shell still alive is watched again.
        await this.#startIdleWatch();
      }
    });
  }

  async #runInShell(command: string, options: RunOptions): Promise<CommandResult> {
    if (options.signal?.aborted) return this.#notRun('interrupted');
    let shellRestarted = false;
    if (this.#shell === null) {
      shellRestarted = this.#everStarted;
      await this.#startShell();
      // An abort while the shell was starting fired before #execute listens for it (issue 7).
      if (options.signal?.aborted) return { ...this.#notRun('interrupted'), shellRestarted };
    }
    // Said first in this command's output: the person and the model learn why the shell is a new one.
    const stoppedBetween = this.#stoppedBetween;
    this.#stoppedBetween = null;
    const notice =
      stoppedBetween === null
        ? undefined
        : `[before this command, the sandbox was ${stoppedBetween.message.replace(/^stopped: /, 'stopped by a process left running: ')}]\n`;
    return { ...(await this.#execute(command, options, { hidden: false, notice })), shellRestarted };
  }

  async #startIdleWatch(): Promise<void> {
    const shell = this.#shell;
    const limits = this.#backend.commandLimits?.();
    if (shell === null || limits?.watchIdle === undefined || this.#closed) return;
    this.#idleWatch = await limits.watchIdle(() => {
      // Everything in the sandbox ends, as when a command is stopped; the next command starts a new shell,
      // once this one is gone (a docker client can outlive the container's processes for a moment).
      this.#idleStop = this.#backend.killAll(shell).then(() => shell.gone);
    });
  }

  /** Ends the watch between commands; after a stop it made, once the stopped shell is gone. */
  async #endIdleWatch(): Promise<void> {
    const hit = this.#idleWatch?.end() ?? null;
    this.#idleWatch = null;
    if (hit !== null) this.#stoppedBetween = hit;
    const stopping = this.#idleStop;
    this.#idleStop = null;
    await stopping;
  }

  runIsolated(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.#enqueue(async () => {
      // Its own watch covers the disk while it runs.
      await this.#endIdleWatch();
      if (options.signal?.aborted) return this.#notRun('interrupted');
      if (!this.#prepared) {
        const workspace = await stat(this.workspace).catch(() => null);
        if (workspace === null || !workspace.isDirectory()) {
          throw new SandboxStartError(
            this.sandbox,
            `the workspace ${this.workspace} is not an existing folder`,
          );
        }
        await this.#backend.prepare();
        this.#prepared = true;
        // Aborted while the sandbox was being prepared (a container start): nothing may run now.
        if (options.signal?.aborted) return this.#notRun('interrupted');
      }
      const run = new IsolatedRun({
        sandbox: this.sandbox,
        launch: this.#backend.launchIsolated({ command, cwd: await this.#isolatedCwd() }),
        control: this.#backend.isolatedControl,
        limits: this.#backend.commandLimits?.() ?? null,
        timeoutMs: options.timeoutMs ?? this.#options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        killGraceMs: this.#options.killGraceMs ?? 2000,
        maxOutputBytes: this.#options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        explainStartFailure: (stderr) => this.#backend.explainStartFailure?.(stderr),
        onOutput: options.onOutput,
        signal: options.signal,
      });
      this.#isolated = run;
      try {
        // The session shell's state, its cwd included, is left as it was.
        return { ...(await run.run()), cwd: this.#cwd, shellRestarted: false };
      } finally {
        this.#isolated = null;
        await this.#startIdleWatch();
      }
    });
  }

  /** The session shell's cwd if it lies in the workspace, else the workspace; by the resolved path. */
  async #isolatedCwd(): Promise<string> {
    const resolved = await realpath(this.workspace).catch(() => this.workspace);
    if (isWithin(this.#cwd, resolved)) return this.#cwd;
    // A workspace given through a symlink is mounted at its resolved path only: the sandbox has no such
    // link, so a cwd under the name as given (before the shell's first command) is the same folder there.
    if (isWithin(this.#cwd, this.workspace)) return join(resolved, relative(this.workspace, this.#cwd));
    return resolved;
  }

  interrupt(): boolean {
    if (this.#isolated !== null) return this.#isolated.interrupt();
    const active = this.#active;
    if (active === null || active.buffer === null || active.stopReason !== null) return false;
    this.#stop(active, 'interrupted');
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#idleWatch?.end();
    this.#isolated?.interrupt();
    const shell = this.#shell;
    if (shell !== null) await this.#backend.killAll(shell);
    await this.#queue;
    if (this.#prepared) await this.#backend.dispose();
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const guarded = async (): Promise<T> => {
      if (this.#closed) throw new ConflictError(`the ${this.sandbox} shell session is closed`);
      return task();
    };
    const result = this.#queue.then(guarded);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #startShell(): Promise<ShellStart> {
    const startedAt = performance.now();
    const workspace = await stat(this.workspace).catch(() => null);
    if (workspace === null || !workspace.isDirectory()) {
      throw new SandboxStartError(this.sandbox, `the workspace ${this.workspace} is not an existing folder`);
    }
    if (!this.#prepared) {
      await this.#backend.prepare();
      this.#prepared = true;
    }
    await this.#spawn();
    // The cwd to return to is the one before this start; the startup script's own `cd` must not replace it.
    const restoreCwd = this.#cwd;
    let startup: CommandResult | null = null;
    const script = this.#options.startupScript ?? '';
    if (script.trim() !== '') {
      startup = { ...(await this.#execute(script, {})), shellRestarted: false };
      // A startup script that ends or hangs the shell would otherwise break every later command too.
      if (this.#shell === null) await this.#spawn();
    }
    if (restoreCwd !== this.workspace) {
      await this.#execute(
        `builtin cd -- '${restoreCwd.replaceAll("'", "'\\''")}' 2>/dev/null`,
        {},
        { hidden: true },
      );
    }
    this.#everStarted = true;
    this.#lastStart = { startup, durationMs: performance.now() - startedAt };
    return this.#lastStart;
  }

  async #spawn(): Promise<void> {
    await this.#previousCleanup;
    const launch = this.#backend.launch();
    const shell = launchShell(this.sandbox, launch, {
      onOutput: (from, chunk) => this.#onOutput(from, chunk),
      onGone: (from, exitCode) => this.#onGone(from, exitCode),
      // Leftovers of a dead shell (background jobs) must not keep running, nor hold the output pipe.
      sweep: (from) => this.#backend.killAll(from),
    });
    this.#shell = shell;
    const token = newMarkerToken();
    const ended = this.#begin(shell, token, null);
    shell.child.stdin.write(preamble(token));
    const readiness: { error: Error | null } = { error: null };
    launch.ready?.(shell.child).catch((error: unknown) => {
      readiness.error = error instanceof Error ? error : new Error(String(error));
      void this.#backend.killAll(shell);
    });
    const limit = setTimeout(() => void this.#backend.killAll(shell), this.#options.startTimeoutMs ?? 30_000);
    const end = await ended;
    clearTimeout(limit);
    this.#active = null;
    if (end.kind === 'died') {
      const why =
        this.#backend.explainStartFailure?.(shell.stderrTail) ||
        shell.stderrTail.trim() ||
        readiness.error?.message ||
        `it exited with code ${end.exitCode ?? 'none (killed)'}`;
      throw new SandboxStartError(this.sandbox, `the ${this.sandbox} shell did not start: ${why}`);
    }
    shell.shellPid = end.value;
  }

  #onGone(shell: LiveShell, exitCode: number | null): void {
    this.#previousCleanup = shell.cleanup;
    if (this.#shell === shell) this.#shell = null;
    const active = this.#active;
    if (active !== null && active.shell === shell) {
      active.buffer?.push(active.scanner.flush());
      active.settle({ kind: 'died', exitCode });
    }
  }

  #onOutput(shell: LiveShell, chunk: Buffer): void {
    const active = this.#active;
    // Output between commands (a background job's) belongs to no command and is dropped.
    if (active === null || active.shell !== shell) return;
    const result = active.scanner.push(chunk);
    active.buffer?.push(result.output);
    if (result.kind === 'end')
      active.settle({ kind: 'marker', value: result.end.value, cwd: result.end.cwd });
  }

  #begin(shell: LiveShell, token: string, buffer: OutputBuffer | null): Promise<CommandEnd> {
    return new Promise<CommandEnd>((resolve) => {
      this.#active = {
        shell,
        scanner: new MarkerScanner(token),
        buffer,
        stopReason: null,
        stopping: null,
        settle: resolve,
      };
    });
  }

  async #execute(
    command: string,
    options: RunOptions,
    mode: { hidden: boolean; notice?: string | undefined } = { hidden: false },
  ): Promise<Omit<CommandResult, 'shellRestarted'>> {
    const shell = this.#shell;
    if (shell === null) return this.#notRun('failed');
    const buffer = new OutputBuffer({
      maxBytes: this.#options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      onText: mode.hidden ? undefined : options.onOutput,
    });
    if (mode.notice !== undefined) buffer.push(Buffer.from(mode.notice));
    const startedAt = performance.now();
    const token = newMarkerToken();
    const ended = this.#begin(shell, token, mode.hidden ? null : buffer);
    const active = this.#active!;
    const timeoutMs = Math.max(
      1,
      options.timeoutMs ?? this.#options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    );
    const timer = setTimeout(() => this.#stop(active, 'timed-out'), timeoutMs);
    const onAbort = (): void => this.#stop(active, 'interrupted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const watch = await this.#backend.commandLimits?.()?.watch(() => this.#stop(active, 'limit'));
    shell.child.stdin.write(controlLine(command, token));

    const end = await ended;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (active.stopping !== null) {
      // The stop ends the shell even when the command's own end raced it; the next command starts afresh.
      await active.stopping;
      await shell.gone;
    }
    this.#active = null;

    if (end.kind === 'marker') this.#cwd = end.cwd;
    // A shell we killed has no exit code of the command's; docker's client would report its own 137.
    const result = await endedCommand({
      exitCode: end.kind === 'marker' ? end.value : active.stopReason === null ? end.exitCode : null,
      stopReason: active.stopReason,
      buffer,
      watch,
      startedAt,
    });
    return { ...result, cwd: this.#cwd };
  }

  /** A command that never reached a shell: aborted before its turn, or its shell gone under it. */
  #notRun(status: CommandStatus): CommandResult {
    return {
      exitCode: null,
      output: '',
      truncated: false,
      outputBytes: 0,
      cut: null,
      durationMs: 0,
      status,
      cwd: this.#cwd,
      shellRestarted: false,
    };
  }

  #stop(active: ActiveCommand, reason: StopReason): void {
    if (this.#active !== active || active.stopReason !== null) return;
    active.stopReason = reason;
    active.stopping = this.#stopSequence(active.shell, reason);
  }

  #stopSequence(shell: LiveShell, reason: StopReason): Promise<void> {
    const graceMs = this.#options.killGraceMs ?? 2000;
    return stopCommandProcesses({ control: this.#backend, shell, reason, graceMs });
  }
}
