import { dirname, join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations.ts';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from './private-files.ts';
import { openSqlite, pragma, type SqliteDatabase, setPragma, transaction } from './sqlite.ts';

export type { SqliteDatabase } from './sqlite.ts';

/** The database file inside a data dir. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'modelprogrammer.db');
}

/** The database was written by a newer ModelProgrammer; opening it could corrupt what that version wrote. */
export class DatabaseTooNewError extends AppError {
  constructor(path: string, found: number, supported: number) {
    super(
      'database_too_new',
      `${path} has schema version ${found}, but this ModelProgrammer understands up to ${supported}; ` +
        'upgrade ModelProgrammer, or point --data-dir at another folder',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export interface OpenDatabaseOptions {
  /** Apply migrations up to this version only (tests use it to build an older database). */
  targetVersion?: number;
}

/**
 * Opens (creating if needed) a SQLite database with the durability settings the store relies on, and
 * migrates it. WAL + synchronous=FULL: an acknowledged write survives a power cut. Its folder is made 0700
 * and the database with its `-wal` and `-shm` 0600 (private-files.ts).
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
    tightenFile(`${path}-wal`);
    tightenFile(`${path}-shm`);
  }
  const db = openSqlite(path);
  try {
    setPragma(db, 'journal_mode', 'WAL');
    setPragma(db, 'synchronous', 'FULL');
    setPragma(db, 'foreign_keys', 'ON');
    setPragma(db, 'busy_timeout', 5000);
    migrate(db, path, options.targetVersion ?? SCHEMA_VERSION);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: SqliteDatabase, path: string, targetVersion: number): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(path, current, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m: Migration) => m.version > current && m.version <= targetVersion);
  for (const migration of pending) {
    transaction(db, () => {
      db.exec(migration.sql);
      setPragma(db, 'user_version', migration.version);
    });
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  return pragma(db, 'user_version') as number;
}
