import type { Selectable } from 'kysely';
import type { CheckpointDto } from '../core/api/workspace-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { CheckpointsTable } from './engines/store-tables.ts';
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
    const row = await this.#database.db
      .selectFrom('checkpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('checkpoint', id);
    return toCheckpoint(row);
  }

  /** Oldest first. */
  async forConversation(conversationId: string): Promise<Checkpoint[]> {
    const rows = await this.#database.db
      .selectFrom('checkpoints')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toCheckpoint);
  }

  /** The conversation's newest checkpoint in `workspace` (what the next step is compared with), or null. */
  async latest(conversationId: string, workspace: string): Promise<Checkpoint | null> {
    const row = await this.#database.db
      .selectFrom('checkpoints')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('workspace', '=', workspace)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }

  /** The conversation's first checkpoint in `workspace` (the "changes" view compares with it), or null. */
  async first(conversationId: string, workspace: string): Promise<Checkpoint | null> {
    const row = await this.#database.db
      .selectFrom('checkpoints')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('workspace', '=', workspace)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }

  async forExecution(executionId: string): Promise<Checkpoint | null> {
    const row = await this.#database.db
      .selectFrom('checkpoints')
      .selectAll()
      .where('execution_id', '=', executionId)
      .limit(1)
      .executeTakeFirst();
    return row ? toCheckpoint(row) : null;
  }
}

export function toCheckpoint(row: Selectable<CheckpointsTable>): Checkpoint {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    executionId: row.execution_id,
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
