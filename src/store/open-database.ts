import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors.ts';
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations.ts';

export type SqliteDatabase = Database.Database;

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
 * migrates it. WAL + synchronous=FULL: an acknowledged write survives a power cut.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path, options.targetVersion ?? SCHEMA_VERSION);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: SqliteDatabase, path: string, targetVersion: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(path, current, SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m: Migration) => m.version > current && m.version <= targetVersion);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}
