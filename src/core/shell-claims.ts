/**
 * A conversation's shell lives in one server process (issue 10 item 4): its workspace is a real folder with a
 * real shell in it, and two shells on one workspace (from two processes sharing a database) would run
 * commands over each other. The process that starts a conversation's shell claims it first; another process
 * asked to run a command there is refused, and says where the shell runs.
 *
 * Refused rather than routed to the owning process: a command's output streams from the process that runs
 * it, and every process already relays its live events to the others, so the person loses nothing by opening
 * the conversation in that server; routing would need the processes to reach each other's HTTP ports (and
 * credentials), which a team server behind one address does not give them (docs/decisions.md).
 */
import { AppError } from './errors.ts';
import type { ServerProcess } from './server-process.ts';

export interface ShellClaims {
  /** Takes (or keeps) this process's claim on the conversation's shell; ShellElsewhereError when another has it. */
  claim(conversationId: string): Promise<void>;
  /** Gives the claim up (the shell closed): another process may start one now. */
  release(conversationId: string): Promise<void>;
}

/** Another server process on this database runs the conversation's shell. */
export class ShellElsewhereError extends AppError {
  /** Where it runs, as far as the database shows it. */
  readonly holder: Pick<ServerProcess, 'host' | 'pid' | 'port'> | null;
  constructor(holder: Pick<ServerProcess, 'host' | 'pid' | 'port'> | null) {
    const where =
      holder === null
        ? 'another server process on this database'
        : `the server at ${holder.host} (pid ${holder.pid}${holder.port === undefined ? '' : `, port ${holder.port}`})`;
    super(
      'shell_elsewhere',
      `this conversation's shell runs in ${where}; open the conversation there, or stop that server`,
    );
    this.name = 'ShellElsewhereError';
    this.holder = holder;
  }
}
