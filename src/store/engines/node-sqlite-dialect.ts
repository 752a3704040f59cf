/**
 * Kysely on Node's built-in `node:sqlite` (issue 10: one query code path for SQLite and PostgreSQL).
 *
 * Kysely's own SqliteDialect speaks to any object shaped like better-sqlite3's `Database`; `node:sqlite`
 * differs in three ways this file bridges, so the query compiler, adapter and introspector stay Kysely's:
 * - a statement has no `reader` flag: it reads when it returns columns (`columns()`, known after prepare);
 * - parameters are spread arguments, not one array;
 * - rows come back as null-prototype objects; they are rebuilt as plain ones, as prepared.ts does and for the
 *   same reason (V8 keeps objects built key by key in one fast shape).
 * Transactions begin IMMEDIATE, as sqlite.ts's do: a transaction that reads and then writes takes the write
 * lock up front, so it waits (busy_timeout) instead of failing half-way with SQLITE_BUSY.
 *
 * The database is opened by open-database.ts's `openDatabase`, so the Kysely path gets exactly the store's
 * pragmas (WAL, synchronous=FULL, foreign_keys, busy_timeout), its private file modes and its migrations.
 */
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase as KyselySqliteDatabase,
  type SqliteStatement as KyselySqliteStatement,
  type QueryResult,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import { type OpenDatabaseOptions, openDatabase, type SqliteDatabase } from '../open-database.ts';

export type NodeSqliteDialectConfig =
  /** Open (create, secure, migrate) the store's database file at `path`; Kysely's `destroy()` closes it. */
  | { path: string; openOptions?: OpenDatabaseOptions }
  /**
   * A database opened elsewhere (by `openDatabase`, so with its pragmas), shared with code that is not yet
   * on Kysely; `destroy()` leaves it open for its owner to close.
   */
  | { database: SqliteDatabase };

/**
 * How many compiled statements a connection keeps; the store's queries are a fixed set of shapes. Reusing one
 * is safe because Kysely runs one query at a time per connection, a stream included (it holds the connection
 * until it ends), so a cached statement is never run while another use of it is still being read.
 */
const STATEMENT_CACHE_SIZE = 256;

/**
 * @example
 * const db = new Kysely<StoreTables>({ dialect: new NodeSqliteDialect({ path: databasePath(dataDir) }) });
 * await db.transaction().execute(async (trx) => trx.insertInto('labels').values(label).execute());
 */
export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: () => Promise<KyselySqliteDatabase>;

  constructor(config: NodeSqliteDialectConfig) {
    const database = async () =>
      'database' in config
        ? new NodeSqliteDatabase(config.database, false)
        : new NodeSqliteDatabase(openDatabase(config.path, config.openOptions), true);
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * The connection driven without Kysely's executor (its connection queue, a promise per layer), for the store's
 * hot path: the transaction around an append and the queries compiled once inside it (compiled-once.ts). Only
 * for a caller that holds the connection; store-database.ts decides when. The statement cache and rows are
 * the dialect's own, and transactions begin IMMEDIATE as the dialect's do.
 */
export interface DirectSqlite {
  /** Runs a compiled query at once, with the result Kysely's SQLite connection would give. */
  execute(query: CompiledQuery): QueryResult<unknown>;
  begin(): void;
  commit(): void;
  /** Rolls back the transaction in progress; nothing when SQLite already ended it (on a full disk, say). */
  rollback(): void;
}

/**
 * @example
 * const direct = directSqlite(sqlite);
 * direct.begin(); const { rows } = direct.execute(compiledQuery); direct.commit();
 */
export function directSqlite(database: SqliteDatabase): DirectSqlite {
  const statements = new NodeSqliteDatabase(database, false);
  const begin = database.prepare('BEGIN IMMEDIATE');
  const commit = database.prepare('COMMIT');
  const rollback = database.prepare('ROLLBACK');
  return {
    execute(query) {
      const statement = statements.prepare(query.sql);
      if (statement.reader) return { rows: statement.all(query.parameters) };
      const { changes, lastInsertRowid } = statement.run(query.parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    },
    begin: () => void begin.run(),
    commit: () => void commit.run(),
    rollback: () => {
      if (database.isTransaction) rollback.run();
    },
  };
}

/** `node:sqlite`'s DatabaseSync seen through the better-sqlite3-shaped interface Kysely's SqliteDriver uses. */
class NodeSqliteDatabase implements KyselySqliteDatabase {
  readonly #database: SqliteDatabase;
  readonly #owned: boolean;
  readonly #statements = new Map<string, NodeSqliteStatement>();

  constructor(database: SqliteDatabase, owned: boolean) {
    this.#database = database;
    this.#owned = owned;
  }

  prepare(sql: string): KyselySqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = new NodeSqliteStatement(this.#database, sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
    } else {
      this.#statements.delete(sql);
    }
    // Re-inserted on each use, so the map's first key is the least recently used one.
    this.#statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.#statements.clear();
    if (this.#owned) this.#database.close();
  }
}

class NodeSqliteStatement implements KyselySqliteStatement {
  readonly reader: boolean;
  readonly #statement: StatementSync;
  readonly #row: (values: unknown[]) => Record<string, unknown>;

  constructor(database: SqliteDatabase, sql: string) {
    this.#statement = database.prepare(sql);
    this.#statement.setReturnArrays(true);
    const names = this.#statement.columns().map((column) => column.name);
    this.reader = names.length > 0;
    this.#row = rowMaker(names);
  }

  all(parameters: readonly unknown[]): unknown[] {
    const rows = this.#statement.all(...(parameters as SQLInputValue[])) as unknown[] as unknown[][];
    return rows.map(this.#row);
  }

  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#statement.run(...(parameters as SQLInputValue[]));
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    for (const values of this.#statement.iterate(...(parameters as SQLInputValue[]))) {
      yield this.#row(values as unknown as unknown[]);
    }
  }
}

/**
 * What makes a statement's row object from its values: one object literal with the columns as its keys,
 * which V8 builds in one shape, where setting the keys one by one costs a shape change each (a quarter of
 * an export's SQLite time went there, bench/RESULTS.md "export"). Names are written as JSON strings, so any
 * column name stays a key; a repeated name keeps its last value, as a loop setting them would.
 */
function rowMaker(names: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  const fields = names.map((name, index) => `${JSON.stringify(name)}: values[${index}]`);
  return new Function('values', `return { ${fields.join(', ')} };`) as (
    values: unknown[],
  ) => Record<string, unknown>;
}
