/**
 * One persistent bash behind the ShellSession port, whatever runs it: the backends (bwrap, docker, host)
 * only say how to launch the shell and how to signal its processes. Framing is in command-framing.ts.
 *
 * Stopping a command (timeout or interrupt): SIGINT (interrupt) or SIGTERM (timeout) to every process
 * of the session except the shell; after the grace period SIGKILL to them; after another grace period,
 * if the shell still has not come back (a loop in the shell itself), the shell is killed and the next
 * command starts a new one, which runs the startup script again and returns to the last cwd. Once a
 * stopped command has ended, whatever it left running (background jobs included) is killed, so nothing
 * outlives a timeout.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { ConflictError } from '../core/errors.ts';
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
import { controlLine, MarkerScanner, newMarkerToken, preamble } from './command-framing.ts';
import { OutputBuffer } from './output-buffer.ts';
import { SandboxStartError } from './sandbox-start-error.ts';

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** A new session and process group for the shell (setsid), so its processes can be found by session. */
  detached: boolean;
}

export interface RunningShell {
  readonly processId: number;
  /** The shell's pid as it sees itself (`$$`), which differs from processId inside a pid namespace. */
  readonly shellPid: number;
}

export interface ShellBackend {
  readonly sandbox: SandboxKind;
  /** Once per session, before the first shell (creating a container, say). */
  prepare(): Promise<void>;
  launch(): ShellLaunch;
  /** Signals every process of the session except the shell. Never throws. */
  signalOthers(shell: RunningShell, signal: NodeJS.Signals): Promise<void>;
  /** Kills every process of the session, the shell included. Never throws. */
  killAll(shell: RunningShell): Promise<void>;
  /** Frees what prepare() made. Never throws. */
  dispose(): Promise<void>;
}

export interface PersistentShellOptions {
  workspace: string;
  startupScript?: string | undefined;
  maxOutputBytes?: number | undefined;
  defaultTimeoutMs?: number | undefined;
  killGraceMs?: number | undefined;
  /** How long a new shell may take to answer its first marker (a container start can be slow). */
  startTimeoutMs?: number | undefined;
}

type CommandEnd = { kind: 'marker'; value: number; cwd: string } | { kind: 'died'; exitCode: number | null };

interface LiveShell extends RunningShell {
  child: ChildProcessWithoutNullStreams;
  processId: number;
  shellPid: number;
  exited: boolean;
  stderrTail: string;
  /** The sweep for a dead shell's leftovers; the next shell waits for it, since in a container it kills broadly. */
  cleanup: Promise<void>;
}

interface ActiveCommand {
  shell: LiveShell;
  scanner: MarkerScanner;
  buffer: OutputBuffer | null;
  stopReason: 'timed-out' | 'interrupted' | null;
  escalation: NodeJS.Timeout | undefined;
  settle: (end: CommandEnd) => void;
}

const STDERR_TAIL_CHARS = 4000;
/** After the shell exits, how long its output pipe may stay open (held by an escaped process). */
const PIPE_CLOSE_LIMIT_MS = 3000;

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
  #previousCleanup: Promise<void> = Promise.resolve();

  constructor(backend: ShellBackend, options: PersistentShellOptions) {
    this.sandbox = backend.sandbox;
    this.workspace = options.workspace;
    this.#backend = backend;
    this.#options = options;
    this.#cwd = options.workspace;
  }

  start(): Promise<ShellStart> {
    return this.#enqueue(async () => {
      if (this.#shell !== null && this.#lastStart !== null) return this.#lastStart;
      return this.#startShell();
    });
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.#enqueue(async () => {
      if (options.signal?.aborted) return this.#notRun('interrupted');
      let shellRestarted = false;
      if (this.#shell === null) {
        shellRestarted = this.#everStarted;
        await this.#startShell();
      }
      return { ...(await this.#execute(command, options)), shellRestarted };
    });
  }

  interrupt(): boolean {
    const active = this.#active;
    if (active === null || active.buffer === null || active.stopReason !== null) return false;
    void this.#stop(active, 'interrupted');
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
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
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(launch.file, launch.args, {
        env: launch.env,
        cwd: launch.cwd,
        detached: launch.detached,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new SandboxStartError(this.sandbox, `could not run ${launch.file}: ${String(error)}`, {
        cause: error,
      });
    }
    const shell: LiveShell = {
      child,
      processId: child.pid ?? -1,
      shellPid: -1,
      exited: false,
      stderrTail: '',
      cleanup: Promise.resolve(),
    };
    this.#shell = shell;
    this.#attach(shell);
    const token = newMarkerToken();
    const ended = this.#begin(shell, token, null);
    child.stdin.write(preamble(token));
    const limit = setTimeout(() => void this.#backend.killAll(shell), this.#options.startTimeoutMs ?? 30_000);
    const end = await ended;
    clearTimeout(limit);
    this.#active = null;
    if (end.kind === 'died') {
      const why = shell.stderrTail.trim() || `it exited with code ${end.exitCode ?? 'none (killed)'}`;
      throw new SandboxStartError(this.sandbox, `the ${this.sandbox} shell did not start: ${why}`);
    }
    shell.shellPid = end.value;
  }

  #attach(shell: LiveShell): void {
    const { child } = shell;
    // Writing to a shell that just died raises EPIPE here; its death is handled through 'close'.
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (chunk: Buffer) => this.#onOutput(shell, chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      shell.stderrTail = (shell.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    let settled = false;
    const onGone = (exitCode: number | null): void => {
      if (settled) return;
      settled = true;
      shell.exited = true;
      this.#previousCleanup = shell.cleanup;
      if (this.#shell === shell) this.#shell = null;
      const active = this.#active;
      if (active !== null && active.shell === shell) {
        active.buffer?.push(active.scanner.flush());
        active.settle({ kind: 'died', exitCode });
      }
    };
    child.on('error', (error) => {
      shell.stderrTail += `\n${error.message}`;
      onGone(null);
    });
    child.on('exit', (code) => {
      // Leftovers of a dead shell (background jobs) must not keep running, nor hold the output pipe.
      shell.cleanup = this.#backend.killAll(shell);
      const limit = setTimeout(() => child.stdout.destroy(), PIPE_CLOSE_LIMIT_MS);
      child.on('close', () => {
        clearTimeout(limit);
        onGone(code);
      });
    });
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
        escalation: undefined,
        settle: resolve,
      };
    });
  }

  async #execute(
    command: string,
    options: RunOptions,
    mode: { hidden: boolean } = { hidden: false },
  ): Promise<Omit<CommandResult, 'shellRestarted'>> {
    const shell = this.#shell;
    if (shell === null) return this.#notRun('failed');
    const buffer = new OutputBuffer({
      maxBytes: this.#options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      onText: mode.hidden ? undefined : options.onOutput,
    });
    const startedAt = performance.now();
    const token = newMarkerToken();
    const ended = this.#begin(shell, token, mode.hidden ? null : buffer);
    const active = this.#active!;
    const timeoutMs = Math.max(
      1,
      options.timeoutMs ?? this.#options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    );
    const timer = setTimeout(() => void this.#stop(active, 'timed-out'), timeoutMs);
    const onAbort = (): void => void this.#stop(active, 'interrupted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    shell.child.stdin.write(controlLine(command, token));

    const end = await ended;
    clearTimeout(timer);
    clearTimeout(active.escalation);
    options.signal?.removeEventListener('abort', onAbort);
    if (active.stopReason !== null && !shell.exited) await this.#backend.signalOthers(shell, 'SIGKILL');
    this.#active = null;

    if (end.kind === 'marker') this.#cwd = end.cwd;
    const exitCode = end.kind === 'marker' ? end.value : end.exitCode;
    const status: CommandStatus = active.stopReason ?? (exitCode === 0 ? 'completed' : 'failed');
    const output = buffer.finish();
    return {
      exitCode,
      output: output.text,
      truncated: output.truncated,
      outputBytes: output.totalBytes,
      cut: output.cut,
      durationMs: Math.round(performance.now() - startedAt),
      status,
      cwd: this.#cwd,
    };
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

  async #stop(active: ActiveCommand, reason: 'timed-out' | 'interrupted'): Promise<void> {
    if (this.#active !== active || active.stopReason !== null) return;
    active.stopReason = reason;
    const { shell } = active;
    const grace = this.#options.killGraceMs ?? 2000;
    await this.#backend.signalOthers(shell, reason === 'interrupted' ? 'SIGINT' : 'SIGTERM');
    if (this.#active !== active) return;
    active.escalation = setTimeout(async () => {
      if (this.#active !== active) return;
      await this.#backend.signalOthers(shell, 'SIGKILL');
      if (this.#active !== active) return;
      active.escalation = setTimeout(() => {
        if (this.#active === active) void this.#backend.killAll(shell);
      }, grace);
    }, grace);
  }
}
