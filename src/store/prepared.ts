import type { StatementSync } from 'node:sqlite';
import type { SqliteDatabase } from './sqlite.ts';

/**
 * A prepared statement typed by its parameters and the row it returns. `node:sqlite` types every row as a
 * record of SQL values; the store states the shape it selected instead, as it did with better-sqlite3.
 * Rows are objects with a null prototype (copy them with a spread to get a plain one).
 */
export interface Statement<Parameters extends unknown[] = unknown[], Row = unknown> {
  /** Numbers, not bigints: the store never turns on `setReadBigInts`. */
  run(...parameters: Parameters): { changes: number; lastInsertRowid: number };
  get(...parameters: Parameters): Row | undefined;
  all(...parameters: Parameters): Row[];
  /** Rows one at a time, for results too large to hold at once. */
  iterate(...parameters: Parameters): IterableIterator<Row>;
}

const caches = new WeakMap<SqliteDatabase, Map<string, StatementSync>>();

/**
 * A prepared statement, compiled once per database and SQL text. Compiling costs more than running most of
 * our statements, and every user action runs several.
 */
export function prepared<Parameters extends unknown[] = unknown[], Row = unknown>(
  db: SqliteDatabase,
  sql: string,
): Statement<Parameters, Row> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Statement<Parameters, Row>;
}

/** A statement for one use (SQL built at run time, or read once), typed like `prepared`'s. */
export function statement<Parameters extends unknown[] = unknown[], Row = unknown>(
  db: SqliteDatabase,
  sql: string,
): Statement<Parameters, Row> {
  return db.prepare(sql) as unknown as Statement<Parameters, Row>;
}
