import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

/** What each key of an imported source became, so a second import of the same data adds nothing. */
export class ImportKeyRepository {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get(source: string, key: string): string | undefined {
    return prepared<[string, string], { target_id: string }>(
      this.#db,
      'SELECT target_id FROM import_keys WHERE source = ? AND key = ?',
    ).get(source, key)?.target_id;
  }

  set(source: string, key: string, targetId: string): void {
    prepared(this.#db, 'INSERT OR REPLACE INTO import_keys (source, key, target_id) VALUES (?, ?, ?)').run(
      source,
      key,
      targetId,
    );
  }
}
