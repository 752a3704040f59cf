/**
 * The prompt library (issue 8 item 7): named system prompts a conversation can start from. A prompt is
 * edited in place (it is a template, not a record of what was sent: the model call keeps the exact text a
 * turn used) and deleted as a tombstone, like everything a person removes in the normal interface.
 */
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { PromptsTable } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export interface Prompt {
  id: string;
  name: string;
  content: string;
  /** The account that saved it (team server); null without accounts. */
  accountId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PromptPatch {
  name?: string;
  content?: string;
}

export class PromptRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  /** Live prompts by name (ties by id, so the order is the same on both engines). */
  async list(): Promise<Prompt[]> {
    const rows = await this.#database.db
      .selectFrom('prompts')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(toPrompt);
  }

  async create(input: { name: string; content: string }): Promise<Prompt> {
    const id = newId();
    const at = nowIso();
    await this.#database.db
      .insertInto('prompts')
      .values({
        id,
        name: input.name,
        content: input.content,
        account_id: currentAccountId(),
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
      .execute();
    return this.get(id);
  }

  /** A live prompt; a tombstoned one is not found. */
  async get(id: string): Promise<Prompt> {
    const row = await this.#database.db
      .selectFrom('prompts')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('prompt', id);
    return toPrompt(row);
  }

  update(id: string, patch: PromptPatch): Promise<Prompt> {
    return this.#database.atomic(async () => {
      await this.get(id);
      await this.#database.db
        .updateTable('prompts')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.content === undefined ? {} : { content: patch.content }),
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
      return this.get(id);
    });
  }

  /** Tombstones it: the row stays (a trigger refuses DELETE). */
  delete(id: string): Promise<void> {
    return this.#database.atomic(async () => {
      await this.get(id);
      const at = nowIso();
      await this.#database.db
        .updateTable('prompts')
        .set({ deleted_at: at, updated_at: at })
        .where('id', '=', id)
        .execute();
    });
  }
}

function toPrompt(row: PromptsTable): Prompt {
  return {
    id: row.id,
    name: row.name,
    content: row.content,
    accountId: row.account_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
