import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase } from './sqlite.ts';

/**
 * A prepared statement typed by its parameters and the row it returns. `node:sqlite` types every row as a
 * record of SQL values; the store states the shape it selected instead, as it did with better-sqlite3.
 */
export interface Statement<Parameters extends unknown[] = unknown[], Row = unknown> {
  /** Numbers, not bigints: the store never turns on `setReadBigInts`. */
  run(...parameters: Parameters): { changes: number; lastInsertRowid: number };
  get(...parameters: Parameters): Row | undefined;
  all(...parameters: Parameters): Row[];
  /** Rows one at a time, for results too large to hold at once. */
  iterate(...parameters: Parameters): IterableIterator<Row>;
}

/**
 * Rows as plain objects built here from `node:sqlite`'s arrays. The driver's own row objects have a null
 * prototype and are built in V8's slow dictionary mode: reading a 10,000-message path through them took twice
 * as long as with better-sqlite3, and objects built key by key in column order share one fast shape (measured
 * in docs/decisions.md). The column names are read once: the schema is migrated before any statement runs.
 */
class RowStatement {
  readonly #statement: StatementSync;
  readonly #names: string[];

  constructor(statement: StatementSync) {
    statement.setReturnArrays(true);
    this.#statement = statement;
    this.#names = statement.columns().map((column) => column.name);
  }

  run(...parameters: SQLInputValue[]) {
    return this.#statement.run(...parameters);
  }

  get(...parameters: SQLInputValue[]): Record<string, unknown> | undefined {
    const values = this.#statement.get(...parameters) as unknown[] | undefined;
    return values === undefined ? undefined : this.#row(values);
  }

  all(...parameters: SQLInputValue[]): Record<string, unknown>[] {
    return (this.#statement.all(...parameters) as unknown[] as unknown[][]).map((values) =>
      this.#row(values),
    );
  }

  *iterate(...parameters: SQLInputValue[]): IterableIterator<Record<string, unknown>> {
    for (const values of this.#statement.iterate(...parameters))
      yield this.#row(values as unknown as unknown[]);
  }

  #row(values: unknown[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < this.#names.length; index++) row[this.#names[index]!] = values[index];
    return row;
  }
}

/**
 * A statement on a raw node:sqlite database, with plain rows and stated types: for what reads SQLite files
 * outside the store's query path (the legacy importer's reader). The store itself goes through Kysely.
 */
export function statement<Parameters extends unknown[] = unknown[], Row = unknown>(
  db: SqliteDatabase,
  sql: string,
): Statement<Parameters, Row> {
  return new RowStatement(db.prepare(sql)) as unknown as Statement<Parameters, Row>;
}
