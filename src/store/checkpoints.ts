import type { Kysely, Selectable } from 'kysely';
import type { CheckpointDto } from '../core/api/workspace-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { CheckpointsTable, StoreTables } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export type Checkpoint = CheckpointDto;

export type NewCheckpoint = Pick<
  Checkpoint,
  | 'conversationId'
  | 'executionId'
  | 'kind'
  | 'workspace'
  | 'commit'
  | 'parentCommit'
  | 'restoredCheckpointId'
  | 'changedFiles'
  | 'insertions'
  | 'deletions'
  | 'skipped'
>;

/** Snapshots of a conversation's workspace, as records: written once, never changed or deleted. */
export class CheckpointRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async create(input: NewCheckpoint): Promise<Checkpoint> {
    const id = newId();
    await this.#database.db
      .insertInto('checkpoints')
      .values({
        id,
        conversation_id: input.conversationId,
        execution_id: input.executionId,
        kind: input.kind,
        workspace: input.workspace,
        commit_hash: input.commit,
        parent_hash: input.parentCommit,
        restored_checkpoint_id: input.restoredCheckpointId,
        changed_files: input.changedFiles,
        insertions: input.insertions,
        deletions: input.deletions,
        skipped: JSON.stringify(input.skipped),
        account_id: currentAccountId(),
        created_at: nowIso(),
      })
      .execute();
    return this.get(id);
  }

  async get(id: string): Promise<Checkpoint> {
    const row = await this.#rows().where('c.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('checkpoint', id);
    return toCheckpoint(row);
  }

  /** Oldest first. */
  async forConversation(conversationId: string): Promise<Checkpoint[]> {
    const rows = await this.#rows()
      .where('c.conversation_id', '=', conversationId)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    return rows.map(toCheckpoint);
  }

  /** The conversation's newest checkpoint in `workspace` (what the next step is compared with), or null. */
  async latest(conversationId: string, workspace: string): Promise<Checkpoint | null> {
    const row = await this.#rows()
      .where('c.conversation_id', '=', conversationId)
      .where('c.workspace', '=', workspace)
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }

  /** The conversation's first checkpoint in `workspace` (the "changes" view compares with it), or null. */
  async first(conversationId: string, workspace: string): Promise<Checkpoint | null> {
    const row = await this.#rows()
      .where('c.conversation_id', '=', conversationId)
      .where('c.workspace', '=', workspace)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(1)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }

  /** Checkpoints with the result message of their step's execution (`messageId`). */
  #rows() {
    return checkpointRows(this.#database.db);
  }

  async forExecution(executionId: string): Promise<Checkpoint | null> {
    const row = await this.#rows().where('c.execution_id', '=', executionId).limit(1).executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }
}

/**
 * Checkpoints as `c`, each with its step's result message (`result_message_id`): the message a person
 * reads for a step they ran themselves, which carries the step's Diff and Restore in the UI.
 */
export function checkpointRows(db: Kysely<StoreTables>) {
  return db
    .selectFrom('checkpoints as c')
    .leftJoin('executions as e', 'e.id', 'c.execution_id')
    .selectAll('c')
    .select('e.result_message_id');
}

export function toCheckpoint(
  row: Selectable<CheckpointsTable> & { result_message_id: string | null },
): Checkpoint {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    executionId: row.execution_id,
    messageId: row.result_message_id,
    kind: row.kind,
    workspace: row.workspace,
    commit: row.commit_hash,
    parentCommit: row.parent_hash,
    restoredCheckpointId: row.restored_checkpoint_id,
    changedFiles: row.changed_files,
    insertions: row.insertions,
    deletions: row.deletions,
    skipped: JSON.parse(row.skipped) as Checkpoint['skipped'],
    accountId: row.account_id,
    createdAt: row.created_at,
  };
}
