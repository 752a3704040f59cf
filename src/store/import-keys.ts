import type { StoreDatabase } from './store-database.ts';

/** What each key of an imported source became, so a second import of the same data adds nothing. */
export class ImportKeyRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async get(source: string, key: string): Promise<string | undefined> {
    const row = await this.#database.db
      .selectFrom('import_keys')
      .select('target_id')
      .where('source', '=', source)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.target_id;
  }

  /** A key seen again points at its newest target (an upsert on both engines). */
  async set(source: string, key: string, targetId: string): Promise<void> {
    await this.#database.db
      .insertInto('import_keys')
      .values({ source, key, target_id: targetId })
      .onConflict((conflict) => conflict.columns(['source', 'key']).doUpdateSet({ target_id: targetId }))
      .execute();
  }
}
