import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.ts';

const caches = new WeakMap<SqliteDatabase, Map<string, Statement>>();

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
