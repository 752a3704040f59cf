/**
 * One command in its own short-lived process (isolated-shell.ts), with the same timeout, interrupt, output
 * bound and stop sequence as a command of the persistent shell: freeze the shell (SIGSTOP, so the rest of a
 * list cannot run on), SIGINT (interrupt) or SIGTERM (timeout) to its other processes, the grace period,
 * then SIGKILL to everything. The backend's process control finds "everything" from the launched process
 * and the shell's own pid, which the script reports as the first line of stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { SandboxKind } from '../core/shell-session.ts';
import { type EndedCommand, endedCommand, type StopReason, stopCommandProcesses } from './command-ending.ts';
import { OutputBuffer } from './output-buffer.ts';
import type { CommandLimits } from './resource-limits.ts';
import { SandboxStartError } from './sandbox-start-error.ts';
import type { RunningShell, ShellBackend, ShellLaunch } from './shell-backend.ts';

export type ProcessControl = Pick<
  ShellBackend,
  'signalShell' | 'signalOthers' | 'waitForOthers' | 'killAll'
> & {
  /** The sweep once the shell has exited by itself; killAll when absent. Never throws. */
  afterExit?: (shell: RunningShell) => Promise<void>;
};

export interface IsolatedRunOptions {
  sandbox: SandboxKind;
  launch: ShellLaunch;
  control: ProcessControl;
  limits: CommandLimits | null;
  timeoutMs: number;
  killGraceMs: number;
  maxOutputBytes: number;
  /** ShellBackend.explainStartFailure: a launch that failed before the shell ran is a SandboxStartError. */
  explainStartFailure?: ((stderr: string) => string | undefined) | undefined;
  onOutput?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export type IsolatedResult = EndedCommand;

/** After the process exits, how long its output pipes may stay open (held by a process it left). */
const PIPE_CLOSE_LIMIT_MS = 3000;

export class IsolatedRun {
  readonly #options: IsolatedRunOptions;
  readonly #buffer: OutputBuffer;
  readonly #shell: { processId: number; shellPid: number };
  #child: ChildProcess | null = null;
  #stopReason: StopReason | null = null;
  #stopping: Promise<void> | null = null;
  #exited = false;

  constructor(options: IsolatedRunOptions) {
    this.#options = options;
    this.#buffer = new OutputBuffer({ maxBytes: options.maxOutputBytes, onText: options.onOutput });
    this.#shell = { processId: -1, shellPid: -1 };
  }

  /** Stops the command as an Interrupt does; false when it has already ended or is being stopped. */
  interrupt(): boolean {
    if (this.#exited || this.#stopReason !== null) return false;
    this.#stop('interrupted');
    return true;
  }

  async run(): Promise<IsolatedResult> {
    const { launch, signal } = this.#options;
    const startedAt = performance.now();
    const child = this.#spawn(launch);
    this.#child = child;
    this.#shell.processId = child.pid ?? -1;
    const ended = this.#ended(child);
    // A start failure rejects it, possibly while the limits' watch is still being set up.
    ended.catch(() => undefined);
    launch.ready?.(child).catch(() => void this.#options.control.killAll(this.#shell));
    const watch = await this.#options.limits?.watch(() => this.#stop('limit'));
    const timer = setTimeout(() => this.#stop('timed-out'), Math.max(1, this.#options.timeoutMs));
    const onAbort = (): void => this.#stop('interrupted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();

    let processExit: number | null;
    try {
      ({ exitCode: processExit } = await ended);
    } catch (error) {
      // The watch polls until it is finished.
      await watch?.finish({ exitCode: null, output: '' });
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    if (this.#stopping !== null) await this.#stopping;

    return endedCommand({
      exitCode: this.#stopReason === null ? processExit : null,
      stopReason: this.#stopReason,
      buffer: this.#buffer,
      watch,
      startedAt,
    });
  }

  #spawn(launch: ShellLaunch): ChildProcess {
    try {
      return spawn(launch.file, launch.args, {
        env: launch.env,
        cwd: launch.cwd,
        detached: launch.detached,
        stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(launch.extraPipes ?? 0).fill('pipe')],
      });
    } catch (error) {
      throw new SandboxStartError(this.#options.sandbox, `could not run ${launch.file}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  /** Settles when the process has exited and its pipes closed (or the close limit passed). */
  #ended(child: ChildProcess): Promise<{ exitCode: number | null }> {
    let pidLine = '';
    let pidKnown = false;
    /** What was written before the shell reported its pid, when it never did: the sandbox's complaint. */
    let beforeShell = '';
    child.stdout?.on('data', (chunk: Buffer) => this.#buffer.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (pidKnown) {
        if (this.#shell.shellPid === -1 && beforeShell.length < 4096) beforeShell += chunk.toString('utf8');
        this.#buffer.push(chunk);
        return;
      }
      pidLine += chunk.toString('latin1');
      const newline = pidLine.indexOf('\n');
      if (newline === -1 && pidLine.length < 32) return;
      pidKnown = true;
      const pid = /^[0-9]+$/.test(pidLine.slice(0, newline)) ? Number(pidLine.slice(0, newline)) : -1;
      this.#shell.shellPid = pid;
      // Anything else on stderr (the sandbox's own complaint when it cannot start) is output too.
      const rest = pid === -1 ? pidLine : pidLine.slice(newline + 1);
      if (pid === -1) beforeShell = pidLine;
      this.#buffer.push(Buffer.from(rest, 'latin1'));
    });
    return new Promise((resolve, reject) => {
      let settled = false;
      child.on('error', (error) => {
        if (settled) return;
        settled = true;
        this.#exited = true;
        reject(
          new SandboxStartError(this.#options.sandbox, `could not run an isolated shell: ${error.message}`, {
            cause: error,
          }),
        );
      });
      child.on('exit', (code) => {
        this.#exited = true;
        // Whatever it left behind must not keep running, nor hold the output pipes open.
        const { control } = this.#options;
        const sweep = (control.afterExit ?? control.killAll).call(control, this.#shell);
        const limit = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, PIPE_CLOSE_LIMIT_MS);
        child.on('close', () => {
          clearTimeout(limit);
          if (!pidKnown && pidLine !== '') {
            this.#buffer.push(Buffer.from(pidLine, 'latin1'));
            beforeShell = pidLine;
          }
          if (settled) return;
          settled = true;
          const why =
            this.#shell.shellPid === -1 && this.#stopReason === null
              ? this.#options.explainStartFailure?.(beforeShell)
              : undefined;
          if (why !== undefined) {
            const { sandbox } = this.#options;
            void sweep.then(() =>
              reject(new SandboxStartError(sandbox, `the isolated ${sandbox} shell did not start: ${why}`)),
            );
            return;
          }
          void sweep.then(() => resolve({ exitCode: code }));
        });
      });
    });
  }

  #stop(reason: StopReason): void {
    if (this.#stopReason !== null || this.#exited || this.#child === null) return;
    this.#stopReason = reason;
    this.#stopping = this.#stopSequence(reason);
  }

  async #stopSequence(reason: StopReason): Promise<void> {
    const { control, killGraceMs } = this.#options;
    // Before the shell reported its pid there is nothing to freeze or to spare: kill what there is.
    if (this.#shell.shellPid <= 0) return control.killAll(this.#shell);
    await stopCommandProcesses({ control, shell: this.#shell, reason, graceMs: killGraceMs });
  }
}
