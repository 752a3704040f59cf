/**
 * Which server process's work is still alive (issue 10 item 4). Several processes may share one PostgreSQL
 * database; each holds, on its own connection, a session advisory lock named after its id for as long as it
 * runs (server/shared-database.ts), and writes its id on the model calls and commands it starts
 * (`server_process`, schema 8). Start-up recovery ends only the work whose process no longer holds its lock:
 * PostgreSQL released it when that process's session ended, whether it stopped, crashed or lost the network.
 *
 * On SQLite one process owns the file, so whatever is running at start was left by a stopped one.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { StoreDatabase } from './store-database.ts';

/** The advisory lock a live process holds (hashed to a 64-bit key by hashtextextended on both sides). */
export function processLockName(serverProcess: string): string {
  return `mp-process:${serverProcess}`;
}

/**
 * True for a row whose process is gone (or unknown: rows from before schema 8). On PostgreSQL it tries the
 * process's lock for the rest of the transaction: it is free only when that process's session has ended.
 */
export function processGone(database: StoreDatabase, column: Expression<string | null>): Expression<SqlBool> {
  if (database.kind !== 'postgres') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${column} IS NULL OR pg_try_advisory_xact_lock(hashtextextended(CAST(${processLockName('')} AS TEXT) || ${column}, 0)))`;
}
