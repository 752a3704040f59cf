/**
 * Brings a PostgreSQL database to the store's schema (postgres-migrations.ts). `mp_schema_migrations` holds
 * one row per applied version, the counterpart of SQLite's `user_version`; a database at a version this code
 * does not know is refused before anything is written.
 *
 * Several server processes may start at once against one database (issue 10 item 4): the whole check and
 * upgrade runs in one transaction holding an advisory lock, so one process migrates and the others, once it
 * commits, find nothing left to do. PostgreSQL's DDL is transactional, so a failed upgrade leaves the
 * database at the version it had.
 */
import { type Kysely, sql } from 'kysely';
import { nowIso } from '../../core/ids.ts';
import type { PostgresLocation } from './database-url.ts';
import { PostgresSchemaTooNewError } from './postgres-errors.ts';
import {
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
  type PostgresMigration,
} from './postgres-migrations.ts';

/** Any number every process agrees on; this one is "mpst" in ASCII. */
const MIGRATION_LOCK = 0x6d707374;

export interface MigrationResult {
  from: number;
  to: number;
}

/**
 * Applies the pending migrations up to `targetVersion` (default: all; tests build older databases with it).
 *
 * @example
 * await migratePostgres(db, location); // { from: 0, to: POSTGRES_SCHEMA_VERSION } on an empty database
 */
export async function migratePostgres(
  // biome-ignore lint/suspicious/noExplicitAny: the schema table is not part of the store's typed tables.
  db: Kysely<any>,
  where: Pick<PostgresLocation, 'host' | 'port' | 'database' | 'user'>,
  targetVersion: number = POSTGRES_SCHEMA_VERSION,
): Promise<MigrationResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    await sql`
      CREATE TABLE IF NOT EXISTS mp_schema_migrations (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`.execute(trx);
    const from = await postgresSchemaVersion(trx);
    if (from > POSTGRES_SCHEMA_VERSION)
      throw new PostgresSchemaTooNewError(where, from, POSTGRES_SCHEMA_VERSION);
    const pending = POSTGRES_MIGRATIONS.filter(
      (migration: PostgresMigration) => migration.version > from && migration.version <= targetVersion,
    );
    for (const migration of pending) {
      // No parameters: the driver sends it as one simple query, which may hold several statements.
      await sql.raw(migration.sql).execute(trx);
      await trx
        .insertInto('mp_schema_migrations')
        .values({ version: migration.version, description: migration.description, applied_at: nowIso() })
        .execute();
    }
    return { from, to: Math.max(from, pending.at(-1)?.version ?? from) };
  });
}

/** The highest applied version, 0 for a database the store has never used. */
// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function postgresSchemaVersion(db: Kysely<any>): Promise<number> {
  const exists = await sql<{
    name: string | null;
  }>`SELECT to_regclass('mp_schema_migrations')::text AS name`.execute(db);
  if (exists.rows[0]?.name == null) return 0;
  const row = await sql<{
    version: number | null;
  }>`SELECT max(version) AS version FROM mp_schema_migrations`.execute(db);
  return row.rows[0]?.version ?? 0;
}
