/**
 * One launched shell process of a persistent shell (persistent-shell.ts), and the news of its end. The
 * persistent shell owns the marker protocol and the command queue; this file owns the process: spawning it
 * as the backend's ShellLaunch says, keeping the tail of its stderr (the start error a person reads), and
 * deciding when it is gone. A shell is gone once it has exited and its output pipe closed, since output
 * still in the pipe belongs to the command that was running; a process it left behind that holds the pipe
 * gets PIPE_CLOSE_LIMIT_MS. Its leftovers are swept as soon as it exits, so background jobs neither keep
 * running nor hold the pipe.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { SandboxKind } from '../core/shell-session.ts';
import { SandboxStartError } from './sandbox-start-error.ts';
import type { RunningShell, ShellLaunch } from './shell-backend.ts';

export interface LiveShell extends RunningShell {
  child: ChildProcessWithoutNullStreams;
  processId: number;
  shellPid: number;
  exited: boolean;
  stderrTail: string;
  /** The sweep for a dead shell's leftovers; the next shell waits for it, since in a container it kills broadly. */
  cleanup: Promise<void>;
  /** Settles once the process has exited and its output pipe closed (after onGone has run). */
  gone: Promise<void>;
}

export interface LiveShellEvents {
  /** A chunk of the shell's stdout, in order. */
  onOutput: (shell: LiveShell, chunk: Buffer) => void;
  /** Once: the shell has exited and its output pipe closed, or it could not be run at all. */
  onGone: (shell: LiveShell, exitCode: number | null) => void;
  /** Kills whatever the exited shell left (the backend's killAll). Never throws. */
  sweep: (shell: LiveShell) => Promise<void>;
}

const STDERR_TAIL_CHARS = 4000;
/** After the shell exits, how long its output pipe may stay open (held by an escaped process). */
const PIPE_CLOSE_LIMIT_MS = 3000;

/** Spawns the shell; a launch that cannot even be spawned is a SandboxStartError. */
export function launchShell(sandbox: SandboxKind, launch: ShellLaunch, events: LiveShellEvents): LiveShell {
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(launch.file, launch.args, {
      env: launch.env,
      cwd: launch.cwd,
      detached: launch.detached,
      stdio: ['pipe', 'pipe', 'pipe', ...Array<'pipe'>(launch.extraPipes ?? 0).fill('pipe')],
    }) as ChildProcessWithoutNullStreams;
  } catch (error) {
    throw new SandboxStartError(sandbox, `could not run ${launch.file}: ${String(error)}`, {
      cause: error,
    });
  }
  let markGone = (): void => undefined;
  const gone = new Promise<void>((resolve) => {
    markGone = resolve;
  });
  const shell: LiveShell = {
    child,
    processId: child.pid ?? -1,
    shellPid: -1,
    exited: false,
    stderrTail: '',
    cleanup: Promise.resolve(),
    gone,
  };
  // Writing to a shell that just died raises EPIPE here; its death is handled through 'close'.
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (chunk: Buffer) => events.onOutput(shell, chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    shell.stderrTail = (shell.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  let settled = false;
  const onGone = (exitCode: number | null): void => {
    if (settled) return;
    settled = true;
    shell.exited = true;
    events.onGone(shell, exitCode);
    markGone();
  };
  child.on('error', (error) => {
    shell.stderrTail += `\n${error.message}`;
    onGone(null);
  });
  child.on('exit', (code) => {
    shell.cleanup = events.sweep(shell);
    const limit = setTimeout(() => child.stdout.destroy(), PIPE_CLOSE_LIMIT_MS);
    child.on('close', () => {
      clearTimeout(limit);
      onGone(code);
    });
  });
  return shell;
}
