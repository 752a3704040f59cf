/**
 * The port every sandbox backend implements (src/sandbox/*-session.ts): one persistent bash per
 * conversation. Running a command never throws for a failed command; it resolves to a CommandResult.
 */
import type { LimitHit, ResourceLimits } from './resource-limits.ts';

export const SANDBOX_KINDS = ['bwrap', 'docker', 'host'] as const;
export type SandboxKind = (typeof SANDBOX_KINDS)[number];

/** `completed` is exit code 0, `failed` any other ending the command chose (or the shell dying). */
export const COMMAND_STATUSES = ['completed', 'failed', 'timed-out', 'interrupted'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Where the kept output skips bytes: `output` holds the first `atByte` bytes, a marker, then the end. */
export interface OutputCut {
  atByte: number;
  droppedBytes: number;
}

export interface CommandResult {
  /** Null when the command never reported one (the shell was killed under it). */
  exitCode: number | null;
  /** stdout and stderr in the order written, decoded as UTF-8 with invalid bytes replaced; ANSI kept. */
  output: string;
  truncated: boolean;
  /** Every byte the command wrote, including the ones cut. */
  outputBytes: number;
  cut: OutputCut | null;
  durationMs: number;
  status: CommandStatus;
  /** The shell's working directory after the command (the last known one if the shell died). */
  cwd: string;
  /**
   * True when this command ran in a shell started afresh after the previous one died (an `exit`, a
   * timeout or an interrupt that had to kill it): the startup script ran again and the cwd was restored,
   * but variables and functions set by earlier commands are gone.
   */
  shellRestarted: boolean;
  /** The sandbox's resource limit the command ran into (issue 7, item 6); absent when none. */
  limitHit?: LimitHit;
}

export interface RunOptions {
  /** Per command; DEFAULT_COMMAND_TIMEOUT_MS when absent. */
  timeoutMs?: number;
  /**
   * Live output as it arrives (decoded, ANSI kept). Bounded: after the first part of a huge output it
   * stops with one notice, and the end is in the result instead.
   */
  onOutput?: (text: string) => void;
  /** Aborting works like interrupt() for this command. */
  signal?: AbortSignal;
}

export interface ShellStart {
  /** The startup script's run, or null when there is none. */
  startup: CommandResult | null;
  durationMs: number;
}

export interface ShellSession {
  readonly sandbox: SandboxKind;
  readonly workspace: string;
  /** Starts the shell and runs the startup script; run() does this itself when needed. */
  start(): Promise<ShellStart>;
  /** Commands run one at a time in call order; a call made while another runs waits its turn. */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /**
   * Runs a command the read-only policy approved, never in the persistent shell (whose functions and
   * aliases earlier commands may have redefined) but in a fresh process of the same sandbox at the shell's
   * cwd, with git's code-running config neutralised. Queued like run(); leaves the shell's state alone.
   */
  runIsolated(command: string, options?: RunOptions): Promise<CommandResult>;
  /**
   * Stops the running command: SIGINT to its processes, SIGKILL after a grace period. The shell ends with
   * it (so the rest of a command list cannot run on); the next command gets a fresh shell, startup script
   * run again and cwd restored. False if nothing runs.
   */
  interrupt(): boolean;
  /** Ends every process of the session and frees what it holds (a container, a control dir). */
  close(): Promise<void>;
}

export interface ShellSessionOptions {
  /** Absolute path; visible and writable at the same path inside the sandbox. */
  workspace: string;
  startupScript?: string;
  /** Network access from inside; off by default. */
  network?: boolean;
  /**
   * Paths that must stay invisible inside (our data dir, config dir) even when they sit under something
   * the sandbox shows, such as a workspace that contains them.
   */
  hiddenPaths?: string[];
  /** Extra environment for the shell; nothing else of the server's environment is passed. */
  environment?: Record<string, string>;
  maxOutputBytes?: number;
  defaultTimeoutMs?: number;
  /** How long a stopped command's processes get after SIGINT (interrupt) or SIGTERM (timeout) before SIGKILL. */
  killGraceMs?: number;
  /** What the sandbox may take of the machine; DEFAULT_RESOURCE_LIMITS when absent. The host has none. */
  limits?: ResourceLimits;
  /**
   * The folder (inside the workspace) the shell starts in after its startup script: where the conversation's
   * last shell was, when it was closed for idleness or by a server restart.
   */
  initialCwd?: string;
}
