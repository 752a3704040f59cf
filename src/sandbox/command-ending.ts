/**
 * How a command's result is put together once it has ended, the same for a command of the persistent shell
 * and one run in its own process (isolated-run.ts): a stop names the status, a
 * resource limit that stopped it makes it failed (the limit itself is named in `limitHit`), and the limits'
 * watch reads what the command hit from its counters or its last output.
 */
import type { CommandResult, CommandStatus } from '../core/shell-session.ts';
import type { OutputBuffer } from './output-buffer.ts';
import type { CommandWatch } from './resource-limits.ts';
import type { RunningShell, ShellBackend } from './shell-backend.ts';

/** Why we stopped a command; `limit`: a resource limit was hit that ends it at once (resource-limits.ts). */
export type StopReason = 'timed-out' | 'interrupted' | 'limit';

/**
 * The stop sequence (persistent-shell.ts's header says why): freeze the shell so a command list cannot go
 * on, ask every other process to stop (SIGINT for an interrupt, SIGTERM for a timeout, SIGKILL for a limit),
 * give them `graceMs`, then kill everything the shell included.
 */
export async function stopCommandProcesses(options: {
  control: Pick<ShellBackend, 'signalShell' | 'signalOthers' | 'waitForOthers' | 'killAll'>;
  shell: RunningShell;
  reason: StopReason;
  graceMs: number;
}): Promise<void> {
  const { control, shell, reason } = options;
  await control.signalShell(shell, 'SIGSTOP');
  const signal = reason === 'interrupted' ? 'SIGINT' : reason === 'timed-out' ? 'SIGTERM' : 'SIGKILL';
  await control.signalOthers(shell, signal);
  await control.waitForOthers(shell, options.graceMs);
  await control.killAll(shell);
}

export type EndedCommand = Omit<CommandResult, 'cwd' | 'shellRestarted'>;

export async function endedCommand(ending: {
  /** As each runner knows it: the persistent shell keeps a code its marker reported even if a stop raced it. */
  exitCode: number | null;
  stopReason: StopReason | null;
  buffer: OutputBuffer;
  watch: CommandWatch | undefined;
  startedAt: number;
}): Promise<EndedCommand> {
  const { exitCode } = ending;
  const reason = ending.stopReason === 'limit' ? 'failed' : ending.stopReason;
  const status: CommandStatus = reason ?? (exitCode === 0 ? 'completed' : 'failed');
  const output = ending.buffer.finish();
  const limitHit = (await ending.watch?.finish({ exitCode, output: output.text })) ?? null;
  return {
    ...(limitHit === null ? {} : { limitHit }),
    exitCode,
    output: output.text,
    truncated: output.truncated,
    outputBytes: output.totalBytes,
    cut: output.cut,
    durationMs: Math.round(performance.now() - ending.startedAt),
    status,
  };
}
