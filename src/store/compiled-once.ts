/**
 * A statement on the append's path (issue 7 item 9), built with Kysely's builder once per engine and then run
 * with new values. Building and compiling a query costs ~10–20 µs in Kysely, as much as SQLite takes to run
 * it; an append runs six, and its target is half the speed of a bare insert. The builder stays the one way
 * queries are written; only its result is kept.
 *
 * The builder is called with placeholders instead of values, so it must not look at them (no `x === null ?`
 * branches: write two statements instead), and every value must reach the SQL as a parameter: both are checked
 * when it is compiled.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { StoreTables } from './engines/store-tables.ts';
import type { EngineKind, StoreDatabase } from './store-database.ts';

/** Where a compiled parameter comes from: the n-th value, or a constant the builder wrote itself. */
type Slot = { value: number } | { constant: unknown };

const PLACEHOLDER = '\u0000mp-value-';

export class CompiledOnce<Values extends unknown[], Row> {
  readonly #build: (db: Kysely<StoreTables>, ...values: Values) => Compilable<Row>;
  readonly #compiled = new Map<EngineKind, { query: CompiledQuery<Row>; slots: Slot[] }>();

  /**
   * @example
   * const byId = new CompiledOnce((db, id: string) => db.selectFrom('messages').selectAll().where('id', '=', id));
   * const { rows } = await byId.execute(database, messageId);
   */
  constructor(build: (db: Kysely<StoreTables>, ...values: Values) => Compilable<Row>) {
    this.#build = build;
  }

  /** Runs on the store's current executor (the caller's transaction, if any). */
  execute(database: StoreDatabase, ...values: Values): Promise<QueryResult<Row>> {
    let compiled = this.#compiled.get(database.kind);
    if (compiled === undefined) {
      compiled = this.#compile(database.db, values.length);
      this.#compiled.set(database.kind, compiled);
    }
    const parameters = compiled.slots.map((slot) => ('value' in slot ? values[slot.value] : slot.constant));
    return database.executeCompiled({ ...compiled.query, parameters });
  }

  #compile(db: Kysely<StoreTables>, count: number): { query: CompiledQuery<Row>; slots: Slot[] } {
    const placeholders = Array.from({ length: count }, (_, index) => `${PLACEHOLDER}${index}`) as Values;
    const query = this.#build(db, ...placeholders).compile();
    const used = new Set<number>();
    const slots = query.parameters.map((parameter): Slot => {
      if (typeof parameter === 'string' && parameter.startsWith(PLACEHOLDER)) {
        const index = Number(parameter.slice(PLACEHOLDER.length));
        used.add(index);
        return { value: index };
      }
      return { constant: parameter };
    });
    if (used.size !== count || query.sql.includes(PLACEHOLDER)) {
      throw new TypeError(
        `CompiledOnce: every value must be a parameter of the SQL, once compiled: ${query.sql}`,
      );
    }
    return { query, slots };
  }
}
