import type { ProposalDto } from '../core/api/terminal-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

export type ProposalStatus = ProposalDto['status'];
export type Proposal = Omit<ProposalDto, 'execution'>;

export interface NewProposal {
  conversationId: string;
  messageId: string;
  position: number;
  toolCallId: string | null;
  command: string;
  timeoutSeconds: number | null;
  /** `rejected` with a reason when the tool call itself was unusable. */
  status?: ProposalStatus;
  reason?: string | null;
}

interface ProposalRow {
  id: string;
  conversation_id: string;
  message_id: string;
  position: number;
  tool_call_id: string | null;
  command: string;
  timeout_seconds: number | null;
  status: ProposalStatus;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Commands put forward by a message; every status change is written before anyone is told of it. */
export class ProposalRepository {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  create(input: NewProposal): Proposal {
    const id = newId();
    const at = nowIso();
    prepared(
      this.#db,
      `INSERT INTO proposals (id, conversation_id, message_id, position, tool_call_id, command, timeout_seconds,
         status, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.conversationId,
      input.messageId,
      input.position,
      input.toolCallId,
      input.command,
      input.timeoutSeconds,
      input.status ?? 'proposed',
      input.reason ?? null,
      at,
      at,
    );
    return this.get(id);
  }

  get(id: string): Proposal {
    const row = prepared<[string], ProposalRow>(this.#db, 'SELECT * FROM proposals WHERE id = ?').get(id);
    if (!row) throw new NotFoundError('proposal', id);
    return toProposal(row);
  }

  forConversation(conversationId: string): Proposal[] {
    return prepared<[string], ProposalRow>(
      this.#db,
      'SELECT * FROM proposals WHERE conversation_id = ? ORDER BY created_at, position',
    )
      .all(conversationId)
      .map(toProposal);
  }

  forMessage(messageId: string): Proposal[] {
    return prepared<[string], ProposalRow>(
      this.#db,
      'SELECT * FROM proposals WHERE message_id = ? ORDER BY position',
    )
      .all(messageId)
      .map(toProposal);
  }

  setStatus(id: string, status: ProposalStatus, reason: string | null = null): Proposal {
    prepared(
      this.#db,
      'UPDATE proposals SET status = ?, reason = COALESCE(?, reason), updated_at = ? WHERE id = ?',
    ).run(status, reason, nowIso(), id);
    return this.get(id);
  }

  /**
   * After a crash: what was running was cut off; what was approved but had not started waits for a person
   * again (a policy's approval is decided when a command runs, and a person may no longer want it).
   */
  markRunningInterrupted(): number {
    const at = nowIso();
    const waiting = prepared(
      this.#db,
      "UPDATE proposals SET status = 'proposed', reason = 'the server stopped before it ran', updated_at = ? WHERE status IN ('approved', 'edited', 'queued')",
    ).run(at).changes;
    return (
      waiting +
      prepared(
        this.#db,
        "UPDATE proposals SET status = 'interrupted', reason = 'the server stopped while it ran', updated_at = ? WHERE status = 'running'",
      ).run(at).changes
    );
  }
}

function toProposal(row: ProposalRow): Proposal {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    position: row.position,
    toolCallId: row.tool_call_id,
    command: row.command,
    timeoutSeconds: row.timeout_seconds,
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
