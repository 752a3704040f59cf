/**
 * The store's one query path on either engine (issue 10): a `Kysely<StoreTables>` that is the transaction
 * the current async call runs in, or the database itself outside one. Repositories never hold a
 * transaction object: they ask `db` at each query, so a method works the same alone and inside a caller's
 * transaction, and a query inside a transaction can never wait for the connection its own transaction
 * holds (on SQLite there is one connection, and Kysely queues every query outside the transaction behind it).
 *
 * Rules the repositories follow, because both engines must behave alike:
 * - a method that writes more than one row runs in `atomic`, so it is all-or-nothing whoever calls it;
 * - a read-modify-write of a conversation's row (its leaf, its totals) locks it first (`lockConversation`):
 *   on PostgreSQL two server processes may append to it at once; on SQLite BEGIN IMMEDIATE already holds
 *   the write lock;
 * - nothing inside a transaction awaits work that is not the store's (a model, a shell, the network): on
 *   SQLite every other query of the process waits until the transaction ends;
 * - SQL is the portable kind: CASE instead of MAX(a, b), `IS NULL` spelled out instead of `IS ?`, flags as
 *   0/1 integers compared with `= 1`, sums of BIGINT columns cast back to BIGINT (PostgreSQL's SUM of a
 *   BIGINT is NUMERIC, which its driver returns as a string).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type Kysely, type QueryResult, sql } from 'kysely';
import type { DirectSqlite } from './engines/node-sqlite-dialect.ts';
import type { StoreTables } from './engines/store-tables.ts';

export type EngineKind = 'sqlite' | 'postgres';

interface ActiveTransaction {
  /** The connection the transaction holds: Kysely's Transaction, or on SQLite the connection it took. */
  readonly trx: Kysely<StoreTables>;
  /** False once the transaction has ended: a timer or callback that captured it falls back to the database. */
  open: boolean;
  savepoints: number;
}

export class StoreDatabase {
  readonly kind: EngineKind;
  readonly #root: Kysely<StoreTables>;
  readonly #active = new AsyncLocalStorage<ActiveTransaction>();
  readonly #direct: DirectSqlite | undefined;

  /** `direct`: SQLite's connection driven without Kysely's executor, for transactions and `executeCompiled`. */
  constructor(kind: EngineKind, root: Kysely<StoreTables>, direct?: DirectSqlite) {
    this.kind = kind;
    this.#root = root;
    this.#direct = direct;
  }

  /** Where the next query goes: the transaction this call runs in, else the database. */
  get db(): Kysely<StoreTables> {
    const active = this.#active.getStore();
    return active?.open ? active.trx : this.#root;
  }

  get inTransaction(): boolean {
    return this.#active.getStore()?.open === true;
  }

  /**
   * Runs a query compiled beforehand (compiled-once.ts) where `db` would. On SQLite inside a transaction it runs
   * on the connection at once: the transaction holds SQLite's one connection until it ends (Kysely queues every
   * other query behind it), and `node:sqlite` runs a statement synchronously, so nothing can come between. What
   * is skipped is Kysely's executor, a queue and a promise per layer: 12–20% of the store's append CPU (issue 7
   * item 9). Outside a transaction it takes Kysely's queue, so it waits for a transaction in progress.
   */
  executeCompiled<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> {
    const active = this.#active.getStore();
    if (active?.open !== true) return this.#root.executeQuery(query);
    if (this.#direct === undefined) return active.trx.executeQuery(query);
    try {
      return Promise.resolve(this.#direct.execute(query) as QueryResult<Row>);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs `action` in one transaction: all-or-nothing, one commit (one fsync on SQLite). Called inside
   * another transaction it becomes a savepoint: its failure undoes only its own writes, and the outer
   * transaction decides about the rest.
   *
   * @example
   * const message = await database.transaction(async () => repository.append(id, input));
   */
  async transaction<T>(action: () => Promise<T>): Promise<T> {
    const active = this.#active.getStore();
    if (active?.open) return this.#savepoint(active, action);
    if (this.#direct !== undefined) return this.#sqliteTransaction(this.#direct, action);
    return this.#root.transaction().execute(async (trx) => {
      const state: ActiveTransaction = { trx, open: true, savepoints: 0 };
      try {
        return await this.#active.run(state, action);
      } finally {
        state.open = false;
      }
    });
  }

  /**
   * SQLite's transaction as Kysely's SQLite driver runs it, without its executor: the connection is taken from
   * Kysely's queue as Kysely's own transaction takes it (every query outside waits for the end), and BEGIN
   * IMMEDIATE, COMMIT and ROLLBACK run on it at once, prepared once. 8–12% of the store's append CPU, ~25 µs
   * of an append through the API on a loaded machine (issue 7 item 9).
   */
  #sqliteTransaction<T>(direct: DirectSqlite, action: () => Promise<T>): Promise<T> {
    return this.#root.connection().execute(async (connection) => {
      direct.begin();
      const state: ActiveTransaction = { trx: connection, open: true, savepoints: 0 };
      let result: T;
      try {
        result = await this.#active.run(state, action);
      } catch (error) {
        state.open = false;
        direct.rollback();
        throw error;
      }
      state.open = false;
      try {
        direct.commit();
      } catch (error) {
        direct.rollback();
        throw error;
      }
      return result;
    });
  }

  /** Joins the transaction in progress, or starts one: for a repository method that writes several rows. */
  atomic<T>(action: () => Promise<T>): Promise<T> {
    return this.inTransaction ? action() : this.transaction(action);
  }

  /**
   * Runs `action` outside any transaction of the caller: for work that must not join it (a background
   * batch scheduled from inside one, which would otherwise capture it).
   */
  detached<T>(action: () => T): T {
    return this.#active.exit(action);
  }

  /**
   * Takes the row lock on a conversation for the rest of the transaction, so a read-modify-write of its
   * leaf or totals cannot interleave with another process's. SQLite needs none: a write transaction there
   * begins IMMEDIATE and holds the database's one write lock from its start.
   */
  async lockConversation(id: string): Promise<void> {
    if (this.kind !== 'postgres' || !this.inTransaction) return;
    await this.db.selectFrom('conversations').select('id').where('id', '=', id).forUpdate().execute();
  }

  async #savepoint<T>(active: ActiveTransaction, action: () => Promise<T>): Promise<T> {
    const name = sql.id(`mp_savepoint_${++active.savepoints}`);
    await sql`SAVEPOINT ${name}`.execute(active.trx);
    let result: T;
    try {
      result = await action();
    } catch (error) {
      try {
        await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(active.trx);
        await sql`RELEASE SAVEPOINT ${name}`.execute(active.trx);
      } catch {
        // The engine ended the whole transaction itself (SQLite on a full disk): the outer one fails
        // with the original error, which is the one worth reporting.
      }
      throw error;
    }
    await sql`RELEASE SAVEPOINT ${name}`.execute(active.trx);
    return result;
  }
}
