import type { Selectable } from 'kysely';
import type { TestRunDto } from '../core/api/workspace-schemas.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { TestRunsTable } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export type TestRun = TestRunDto;
export type NewTestRun = Omit<TestRun, 'id' | 'createdAt'>;

/** Runs of a conversation's test command, one per execution, as records. */
export class TestRunRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async create(input: NewTestRun): Promise<TestRun> {
    const id = newId();
    await this.#database.db
      .insertInto('test_runs')
      .values({
        id,
        conversation_id: input.conversationId,
        execution_id: input.executionId,
        status: input.status,
        runner: input.runner,
        passed: input.passed,
        failed: input.failed,
        skipped: input.skipped,
        created_at: nowIso(),
      })
      .execute();
    return this.get(id);
  }

  async get(id: string): Promise<TestRun> {
    const row = await this.#database.db
      .selectFrom('test_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('test run', id);
    return toTestRun(row);
  }

  /** Oldest first. */
  async forConversation(conversationId: string): Promise<TestRun[]> {
    const rows = await this.#database.db
      .selectFrom('test_runs')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toTestRun);
  }

  /** The conversation's newest run, or null: the test-edit guard asks whether it failed. */
  async latest(conversationId: string): Promise<TestRun | null> {
    const row = await this.#database.db
      .selectFrom('test_runs')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toTestRun(row) : null;
  }
}

export function toTestRun(row: Selectable<TestRunsTable>): TestRun {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    executionId: row.execution_id,
    status: row.status,
    runner: row.runner,
    passed: row.passed,
    failed: row.failed,
    skipped: row.skipped,
    createdAt: row.created_at,
  };
}
