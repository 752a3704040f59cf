/**
 * The one file that knows which SQLite driver the store runs on: Node's built-in `node:sqlite` (issue 7
 * item 11: no native addon, so `npm ci` needs no compiler and no Node headers). Opening and migrating a file
 * (open-database.ts) use it directly, through `transaction()` and the pragma helpers below; queries go through
 * Kysely (engines/node-sqlite-dialect.ts).
 *
 * Contract kept from the driver this replaced (better-sqlite3): a transaction is all-or-nothing, a nested
 * one is a savepoint inside the outer one, and an action that returns a promise is refused (it would commit
 * before the promise settles).
 */
import { DatabaseSync } from 'node:sqlite';

export type SqliteDatabase = DatabaseSync;

/** SQLite's primary result code for "file is not a database" (extended codes share the low byte). */
export const SQLITE_NOTADB = 26;

/** An error SQLite itself raised (as opposed to a bad argument from our side). */
export interface SqliteError extends Error {
  /** SQLite's extended result code; `errcode & 0xff` is the primary one. */
  errcode: number;
  errstr: string;
}

export function isSqliteError(error: unknown): error is SqliteError {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'ERR_SQLITE_ERROR' &&
    typeof (error as { errcode?: unknown }).errcode === 'number'
  );
}

/** Opens a database file (creating it unless `readOnly`); `:memory:` for a private in-memory one. */
export function openSqlite(path: string, options: { readOnly?: boolean } = {}): SqliteDatabase {
  return new DatabaseSync(path, { readOnly: options.readOnly ?? false });
}

/**
 * Runs `action` in one transaction: BEGIN IMMEDIATE takes the write lock up front, so a transaction that
 * reads and then writes cannot fail half-way with SQLITE_BUSY (busy_timeout waits for the lock instead).
 * Called inside another transaction it becomes a savepoint: its failure undoes only its own writes, and
 * the outer transaction decides about the rest.
 *
 * @example
 * const id = transaction(db, () => insertMessage(db, message));
 */
export function transaction<T>(db: SqliteDatabase, action: () => T): T {
  const nested = db.isTransaction;
  db.exec(nested ? 'SAVEPOINT nested' : 'BEGIN IMMEDIATE');
  try {
    const result = action();
    if (isPromiseLike(result)) {
      throw new TypeError('a transaction cannot run an async function: it would commit before it settles');
    }
    db.exec(nested ? 'RELEASE nested' : 'COMMIT');
    return result;
  } catch (error) {
    // SQLite may already have rolled back by itself (a full disk, an I/O error): then there is nothing to undo.
    if (db.isTransaction) db.exec(nested ? 'ROLLBACK TO nested; RELEASE nested' : 'ROLLBACK');
    throw error;
  }
}

/** The value of a pragma that answers with one value (`journal_mode`, `user_version`, …). */
export function pragma(db: SqliteDatabase, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get();
  return row === undefined ? undefined : Object.values(row)[0];
}

/** Sets a pragma; `value` is written into the SQL, so only our own constants belong here. */
export function setPragma(db: SqliteDatabase, name: string, value: string | number): void {
  db.exec(`PRAGMA ${name} = ${value}`);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
