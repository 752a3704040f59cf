/**
 * The store's database on the engine the person chose (database-url.ts): SQLite in the data dir, or
 * PostgreSQL at a URL. Either way the result is a migrated `Kysely<StoreTables>`, the one query path the
 * store's repositories are moving to (issue 10).
 *
 * On SQLite the underlying `node:sqlite` handle is exposed too, so the store can move one repository at a
 * time while both paths share a single connection (and so one transaction and one write lock).
 */
import { Kysely } from 'kysely';
import { databasePath, openDatabase, type SqliteDatabase } from '../open-database.ts';
import type { DatabaseChoice } from './database-url.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { openPostgres } from './postgres-engine.ts';
import type { StoreTables } from './store-tables.ts';

export type StoreEngine =
  | { kind: 'sqlite'; db: Kysely<StoreTables>; sqlite: SqliteDatabase; close(): Promise<void> }
  | { kind: 'postgres'; db: Kysely<StoreTables>; close(): Promise<void> };

export interface OpenEngineOptions {
  /** Where the SQLite file lives (ignored for PostgreSQL). */
  dataDir?: string;
  /** The SQLite file itself, instead of the data dir's (`:memory:` for a private one). */
  sqlitePath?: string;
  /** Migrate up to this version only (tests build older databases with it). */
  targetVersion?: number;
}

/**
 * @example
 * const engine = await openStoreEngine(chooseDatabase({ flag, environment }), { dataDir });
 * try { … engine.db.selectFrom('conversations') … } finally { await engine.close(); }
 */
export async function openStoreEngine(
  choice: DatabaseChoice,
  options: OpenEngineOptions,
): Promise<StoreEngine> {
  const migrate = options.targetVersion === undefined ? {} : { targetVersion: options.targetVersion };
  if (choice.engine === 'postgres') {
    const engine = await openPostgres(choice, migrate);
    return { kind: 'postgres', db: engine.db, close: () => engine.close() };
  }
  const path =
    options.sqlitePath ?? (options.dataDir === undefined ? undefined : databasePath(options.dataDir));
  if (path === undefined) throw new TypeError('openStoreEngine: SQLite needs dataDir or sqlitePath');
  const sqlite = openDatabase(path, migrate);
  const db = new Kysely<StoreTables>({ dialect: new NodeSqliteDialect({ database: sqlite }) });
  return {
    kind: 'sqlite',
    db,
    sqlite,
    async close() {
      await db.destroy();
      sqlite.close();
    },
  };
}
