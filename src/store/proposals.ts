import type { ExpressionBuilder, Selectable } from 'kysely';
import type { FileAction, ProposalDto, ProposalKind } from '../core/api/terminal-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { ProposalsTable, StoreTables } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export type ProposalStatus = ProposalDto['status'];
export type Proposal = Omit<ProposalDto, 'execution'>;

export interface NewProposal {
  conversationId: string;
  messageId: string;
  position: number;
  toolCallId: string | null;
  command: string;
  timeoutSeconds: number | null;
  /** A file action (its kind is the action's tool); absent for a command. */
  action?: FileAction | null;
  testEditWarning?: boolean;
  /** `rejected` with a reason when the tool call itself was unusable. */
  status?: ProposalStatus;
  reason?: string | null;
}

type ProposalRow = Selectable<ProposalsTable>;

/** What a claim did: whether this call moved the proposal, and the proposal as stored after it. */
export interface ProposalClaim {
  /** False when the proposal was no longer in a status it may be claimed from: someone else moved it first. */
  claimed: boolean;
  proposal: Proposal;
}

/** Commands put forward by a message; every status change is written before anyone is told of it. */
export class ProposalRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async create(input: NewProposal): Promise<Proposal> {
    const id = newId();
    const at = nowIso();
    await this.#database.db
      .insertInto('proposals')
      .values({
        id,
        conversation_id: input.conversationId,
        message_id: input.messageId,
        position: input.position,
        tool_call_id: input.toolCallId,
        kind: input.action?.tool ?? 'command',
        command: input.command,
        action: input.action ? JSON.stringify(input.action) : null,
        test_edit_warning: input.testEditWarning ? 1 : 0,
        timeout_seconds: input.timeoutSeconds,
        status: input.status ?? 'proposed',
        reason: input.reason ?? null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return this.get(id);
  }

  async get(id: string): Promise<Proposal> {
    const row = await this.#database.db
      .selectFrom('proposals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('proposal', id);
    return toProposal(row);
  }

  async forConversation(conversationId: string): Promise<Proposal[]> {
    const rows = await this.#database.db
      .selectFrom('proposals')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('position')
      .orderBy('id')
      .execute();
    return rows.map(toProposal);
  }

  async forMessage(messageId: string): Promise<Proposal[]> {
    const rows = await this.#database.db
      .selectFrom('proposals')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('position')
      .orderBy('id')
      .execute();
    return rows.map(toProposal);
  }

  /** Writes the status whatever it was; a null reason keeps the one stored. */
  async setStatus(id: string, status: ProposalStatus, reason: string | null = null): Promise<Proposal> {
    await this.#database.db
      .updateTable('proposals')
      .set({ status, updated_at: nowIso(), ...(reason === null ? {} : { reason }) })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  /**
   * Moves the proposal to `status` only if it is still in one of `from` (a person's Run takes it from
   * `proposed`). One conditional UPDATE, and its count of changed rows decides: of two requests, or two
   * server processes on one PostgreSQL database, that claim it at once exactly one wins. On PostgreSQL the
   * loser's UPDATE waits for the winner's row lock and then finds the status changed; SQLite runs one
   * writer at a time. Reading the status first and writing it after would let both pass the check.
   *
   * @example
   * const { claimed, proposal } = await proposals.claim(id, { from: ['proposed'], status: 'approved' });
   * if (!claimed) throw new ConflictError(`proposal ${id} is ${proposal.status}; only a proposed command can run`);
   */
  async claim(
    id: string,
    change: { from: readonly ProposalStatus[]; status: ProposalStatus; reason?: string | null },
  ): Promise<ProposalClaim> {
    const reason = change.reason ?? null;
    // Leaving `proposed` is the decision (approve, edit, reject): it records who decided; later moves do not.
    const decided = change.from.includes('proposed') ? { account_id: currentAccountId() } : {};
    const result = await this.#database.db
      .updateTable('proposals')
      .set({
        status: change.status,
        updated_at: nowIso(),
        ...(reason === null ? {} : { reason }),
        ...decided,
      })
      .where('id', '=', id)
      .where('status', 'in', change.from)
      .executeTakeFirst();
    return { claimed: result.numUpdatedRows > 0n, proposal: await this.get(id) };
  }

  /**
   * After a crash: what was running was cut off; what was approved but had not started waits for a person
   * again (a policy's approval is decided when a command runs, and a person may no longer want it). Run
   * after the executions' recovery: a proposal whose execution is still queued or running belongs to a live
   * server process sharing the database (issue 10 item 4), and is left to it.
   */
  markRunningInterrupted(): Promise<number> {
    return this.#database.atomic(async () => {
      const at = nowIso();
      const notOwned = (eb: ExpressionBuilder<StoreTables, 'proposals'>) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('executions')
              .select('executions.id')
              .whereRef('executions.proposal_id', '=', 'proposals.id')
              .where('executions.status', 'in', ['queued', 'running']),
          ),
        );
      const waiting = await this.#database.db
        .updateTable('proposals')
        .set({ status: 'proposed', reason: 'the server stopped before it ran', updated_at: at })
        .where('status', 'in', ['approved', 'edited', 'queued'])
        .where(notOwned)
        .executeTakeFirst();
      const running = await this.#database.db
        .updateTable('proposals')
        .set({ status: 'interrupted', reason: 'the server stopped while it ran', updated_at: at })
        .where('status', '=', 'running')
        .where(notOwned)
        .executeTakeFirst();
      return Number(waiting.numUpdatedRows + running.numUpdatedRows);
    });
  }
}

export function toProposal(row: ProposalRow): Proposal {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    position: row.position,
    toolCallId: row.tool_call_id,
    kind: row.kind as ProposalKind,
    command: row.command,
    action: row.action === null ? null : (JSON.parse(row.action) as FileAction),
    testEditWarning: row.test_edit_warning === 1,
    timeoutSeconds: row.timeout_seconds,
    status: row.status as ProposalStatus,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decidedByAccountId: row.account_id,
  };
}
