import type { Selectable } from 'kysely';
import type { ExecutionDto, FileAction } from '../core/api/terminal-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { LimitHit } from '../core/resource-limits.ts';
import { currentAccountId } from './acting-account.ts';
import type { ExecutionsTable } from './engines/store-tables.ts';
import { processGone } from './process-liveness.ts';
import type { StoreDatabase } from './store-database.ts';

export type Execution = ExecutionDto;
export type ExecutionStatus = ExecutionDto['status'];

export interface NewExecution {
  conversationId: string;
  proposalId: string | null;
  commandProposed: string | null;
  commandRun: string;
  /** `human`, or the policy that approved it (`policy:read-only`). */
  approvedBy: string;
  sandbox: string;
  cwd: string | null;
  /** The file action to apply, as approved; absent for a command. */
  actionRun?: FileAction | null;
}

export interface ExecutionEnd {
  status: ExecutionStatus;
  exitCode: number | null;
  output: string;
  outputTruncated: boolean;
  outputBytes: number;
  durationMs: number;
  cwd: string | null;
  /** The sandbox limit it ran into, if any. */
  limitHit: LimitHit | null;
}

type ExecutionRow = Selectable<ExecutionsTable>;

/** Each command run: as proposed, as run, who approved it, and what came out. */
export class ExecutionRepository {
  readonly #database: StoreDatabase;
  readonly #serverProcess: string | null;

  /** `serverProcess`: this process's id, written on the commands it queues (process-liveness.ts). */
  constructor(database: StoreDatabase, options: { serverProcess?: string } = {}) {
    this.#database = database;
    this.#serverProcess = options.serverProcess ?? null;
  }

  /** A command waiting for the conversation's shell; `sandbox` is where it is expected to run. */
  queue(input: NewExecution): Promise<Execution> {
    return this.#insert(input, 'queued');
  }

  start(input: NewExecution): Promise<Execution> {
    return this.#insert(input, 'running');
  }

  async #insert(input: NewExecution, status: 'queued' | 'running'): Promise<Execution> {
    const id = newId();
    await this.#database.db
      .insertInto('executions')
      .values({
        id,
        conversation_id: input.conversationId,
        proposal_id: input.proposalId,
        command_proposed: input.commandProposed,
        command_run: input.commandRun,
        approved_by: input.approvedBy,
        status,
        sandbox: input.sandbox,
        cwd: input.cwd,
        action_run: input.actionRun ? JSON.stringify(input.actionRun) : null,
        started_at: nowIso(),
        server_process: this.#serverProcess,
        // Who approved (or typed) it: the request's account, also for a command that waits in the queue.
        account_id: currentAccountId(),
      })
      .execute();
    return this.get(id);
  }

  /**
   * Its turn came: it runs now, in `sandbox`, approved by `approvedBy` (a policy judges again at this moment).
   * `started_at` becomes the moment it started running. Only a queued execution moves (one conditional
   * UPDATE), so a cancel that came first is not undone; the caller reads the status it gets back.
   */
  async markRunning(id: string, at: { sandbox: string; approvedBy: string }): Promise<Execution> {
    await this.#database.db
      .updateTable('executions')
      .set({ status: 'running', sandbox: at.sandbox, approved_by: at.approvedBy, started_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
    return this.get(id);
  }

  /** Whether any command of the conversation waits in its queue or runs. */
  async activeInConversation(conversationId: string): Promise<boolean> {
    const row = await this.#database.db
      .selectFrom('executions')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('status', 'in', ['queued', 'running'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Taken out of the queue before it started; nothing of it ran. */
  async cancel(id: string): Promise<Execution> {
    await this.#database.db
      .updateTable('executions')
      .set({ status: 'cancelled', ended_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
    return this.get(id);
  }

  async finish(id: string, end: ExecutionEnd): Promise<Execution> {
    await this.#database.db
      .updateTable('executions')
      .set({
        status: end.status,
        exit_code: end.exitCode,
        output: end.output,
        output_truncated: end.outputTruncated ? 1 : 0,
        output_bytes: end.outputBytes,
        duration_ms: end.durationMs,
        ...(end.cwd === null ? {} : { cwd: end.cwd }),
        limit_hit: end.limitHit === null ? null : JSON.stringify(end.limitHit),
        ended_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  async linkResult(id: string, messageId: string): Promise<Execution> {
    await this.#database.db
      .updateTable('executions')
      .set({ result_message_id: messageId })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  async get(id: string): Promise<Execution> {
    const row = await this.#database.db
      .selectFrom('executions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('execution', id);
    return toExecution(row);
  }

  async latestForProposal(proposalId: string): Promise<Execution | null> {
    const row = await this.#database.db
      .selectFrom('executions')
      .selectAll()
      .where('proposal_id', '=', proposalId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : toExecution(row);
  }

  /** Where the conversation's last command that reported a folder left its shell (a reopened shell goes there). */
  async lastCwd(conversationId: string): Promise<string | null> {
    const row = await this.#database.db
      .selectFrom('executions')
      .select('cwd')
      .where('conversation_id', '=', conversationId)
      .where('cwd', 'is not', null)
      .where('ended_at', 'is not', null)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.cwd ?? null;
  }

  /**
   * After a crash: a command left running is marked interrupted, one left waiting never started. On a
   * PostgreSQL database shared by several server processes, a live process's commands are left to it.
   */
  markRunningInterrupted(): Promise<number> {
    return this.#database.atomic(async () => {
      const at = nowIso();
      const cancelled = await this.#database.db
        .updateTable('executions')
        .set({ status: 'cancelled', ended_at: at })
        .where('status', '=', 'queued')
        .where((eb) => processGone(this.#database, eb.ref('server_process')))
        .executeTakeFirst();
      const interrupted = await this.#database.db
        .updateTable('executions')
        .set({ status: 'interrupted', ended_at: at })
        .where('status', '=', 'running')
        .where((eb) => processGone(this.#database, eb.ref('server_process')))
        .executeTakeFirst();
      return Number(cancelled.numUpdatedRows + interrupted.numUpdatedRows);
    });
  }
}

export function toExecution(row: ExecutionRow): Execution {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    proposalId: row.proposal_id,
    commandProposed: row.command_proposed,
    commandRun: row.command_run,
    status: row.status as ExecutionStatus,
    exitCode: row.exit_code,
    output: row.output,
    outputTruncated: row.output_truncated === 1,
    durationMs: row.duration_ms,
    sandbox: row.sandbox,
    cwd: row.cwd,
    resultMessageId: row.result_message_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    limitHit: row.limit_hit === null ? null : (JSON.parse(row.limit_hit) as LimitHit),
    approvedBy: row.approved_by,
    accountId: row.account_id,
    actionRun: row.action_run === null ? null : (JSON.parse(row.action_run) as FileAction),
  };
}
