/**
 * The port each sandbox backend (bwrap, docker, host) implements for persistent-shell.ts: how to launch a
 * shell and how to signal its processes. It is its own file because the backends, the isolated run
 * (isolated-run.ts, docker-isolated.ts) and the resource limits all speak it without needing the persistent
 * shell itself. Every signalling method never throws: a stop sequence must reach its last step (killAll)
 * whatever failed before it.
 */
import type { ChildProcess } from 'node:child_process';
import type { SandboxKind } from '../core/shell-session.ts';
import type { ProcessControl } from './isolated-run.ts';
import type { IsolatedRequest } from './isolated-shell.ts';
import type { CommandLimits } from './resource-limits.ts';

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** A new session and process group for the shell (setsid), so its processes can be found by session. */
  detached: boolean;
  /** Pipes after stdin, stdout and stderr (fd 3 on), through which `ready` talks to the launched process. */
  extraPipes?: number;
  /**
   * Runs once the process exists, before its first marker can arrive; a rejection ends the shell and is the
   * start error. bwrap attaches the sandbox's own network namespace here (issue 7, item 3).
   */
  ready?: (child: ChildProcess) => Promise<void>;
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
  /** Signals the shell process itself. Never throws. */
  signalShell(shell: RunningShell, signal: NodeJS.Signals): Promise<void>;
  /** Signals every process of the session except the shell. Never throws. */
  signalOthers(shell: RunningShell, signal: NodeJS.Signals): Promise<void>;
  /** Resolves once no process but the shell is left, or after `limitMs`. Never throws. */
  waitForOthers(shell: RunningShell, limitMs: number): Promise<void>;
  /** Kills every process of the session, the shell included. Never throws. */
  killAll(shell: RunningShell): Promise<void>;
  /** Frees what prepare() made. Never throws. */
  dispose(): Promise<void>;
  /** The session's resource limits, once prepared; absent where there are none (the host). */
  commandLimits?(): CommandLimits | null;
  /**
   * What a person should read when a launched process ended before its shell ran, from what it wrote on
   * stderr (a launcher that could not find bwrap, say); undefined to show stderr as it is.
   */
  explainStartFailure?(stderr: string): string | undefined;
  /** A fresh shell for one command, in the same sandbox configuration (runIsolated, isolated-shell.ts). */
  launchIsolated(request: IsolatedRequest): ShellLaunch;
  /** How to stop an isolated shell's processes (given its launched pid and its own `$$`), and only those. */
  readonly isolatedControl: ProcessControl;
}
