import type { ExecutionDto } from '../core/api/terminal-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { LimitHit } from '../core/resource-limits.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

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

interface ExecutionRow {
  id: string;
  conversation_id: string;
  proposal_id: string | null;
  command_proposed: string | null;
  command_run: string;
  approved_by: string | null;
  status: ExecutionStatus;
  exit_code: number | null;
  output: string;
  output_truncated: number;
  output_bytes: number;
  duration_ms: number | null;
  sandbox: string;
  cwd: string | null;
  result_message_id: string | null;
  started_at: string;
  ended_at: string | null;
  limit_hit: string | null;
}

/** Each command run: as proposed, as run, who approved it, and what came out. */
export class ExecutionRepository {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** A command waiting for the conversation's shell; `sandbox` is where it is expected to run. */
  queue(input: NewExecution): Execution {
    return this.#insert(input, 'queued');
  }

  start(input: NewExecution): Execution {
    return this.#insert(input, 'running');
  }

  #insert(input: NewExecution, status: 'queued' | 'running'): Execution {
    const id = newId();
    prepared(
      this.#db,
      `INSERT INTO executions (id, conversation_id, proposal_id, command_proposed, command_run, approved_by, status,
         sandbox, cwd, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.conversationId,
      input.proposalId,
      input.commandProposed,
      input.commandRun,
      input.approvedBy,
      status,
      input.sandbox,
      input.cwd,
      nowIso(),
    );
    return this.get(id);
  }

  /**
   * Its turn came: it runs now, in `sandbox`, approved by `approvedBy` (a policy judges again at this moment).
   * `started_at` becomes the moment it started running.
   */
  markRunning(id: string, at: { sandbox: string; approvedBy: string }): Execution {
    prepared(
      this.#db,
      "UPDATE executions SET status = 'running', sandbox = ?, approved_by = ?, started_at = ? WHERE id = ? AND status = 'queued'",
    ).run(at.sandbox, at.approvedBy, nowIso(), id);
    return this.get(id);
  }

  /** Taken out of the queue before it started; nothing of it ran. */
  cancel(id: string): Execution {
    prepared(
      this.#db,
      "UPDATE executions SET status = 'cancelled', ended_at = ? WHERE id = ? AND status = 'queued'",
    ).run(nowIso(), id);
    return this.get(id);
  }

  finish(id: string, end: ExecutionEnd): Execution {
    prepared(
      this.#db,
      `UPDATE executions SET status = ?, exit_code = ?, output = ?, output_truncated = ?, output_bytes = ?,
         duration_ms = ?, cwd = COALESCE(?, cwd), limit_hit = ?, ended_at = ? WHERE id = ?`,
    ).run(
      end.status,
      end.exitCode,
      end.output,
      end.outputTruncated ? 1 : 0,
      end.outputBytes,
      end.durationMs,
      end.cwd,
      end.limitHit === null ? null : JSON.stringify(end.limitHit),
      nowIso(),
      id,
    );
    return this.get(id);
  }

  linkResult(id: string, messageId: string): Execution {
    prepared(this.#db, 'UPDATE executions SET result_message_id = ? WHERE id = ?').run(messageId, id);
    return this.get(id);
  }

  get(id: string): Execution {
    const row = prepared<[string], ExecutionRow>(this.#db, 'SELECT * FROM executions WHERE id = ?').get(id);
    if (!row) throw new NotFoundError('execution', id);
    return toExecution(row);
  }

  latestForProposal(proposalId: string): Execution | null {
    const row = prepared<[string], ExecutionRow>(
      this.#db,
      'SELECT * FROM executions WHERE proposal_id = ? ORDER BY started_at DESC LIMIT 1',
    ).get(proposalId);
    return row === undefined ? null : toExecution(row);
  }

  /** Where the conversation's last command that reported a folder left its shell (a reopened shell goes there). */
  lastCwd(conversationId: string): string | null {
    const row = prepared<[string], { cwd: string }>(
      this.#db,
      `SELECT cwd FROM executions WHERE conversation_id = ? AND cwd IS NOT NULL AND ended_at IS NOT NULL
         ORDER BY started_at DESC LIMIT 1`,
    ).get(conversationId);
    return row?.cwd ?? null;
  }

  /** After a crash: a command left running is marked interrupted, one left waiting never started. */
  markRunningInterrupted(): number {
    const at = nowIso();
    const cancelled = prepared(
      this.#db,
      "UPDATE executions SET status = 'cancelled', ended_at = ? WHERE status = 'queued'",
    ).run(at).changes;
    return (
      cancelled +
      prepared(
        this.#db,
        "UPDATE executions SET status = 'interrupted', ended_at = ? WHERE status = 'running'",
      ).run(at).changes
    );
  }
}

function toExecution(row: ExecutionRow): Execution {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    proposalId: row.proposal_id,
    commandProposed: row.command_proposed,
    commandRun: row.command_run,
    status: row.status,
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
  };
}
