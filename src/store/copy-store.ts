/**
 * Copies one store into another, either way between SQLite and PostgreSQL (`mp migrate-store`, issue 10
 * item 2): every row of every table, ids and timestamps kept, so the copy is the same data. Run again, it
 * adds only what is new and brings changed rows up to date (a conversation's leaf, a message's tombstone, a
 * proposal's status); what already matches is left alone, so a second run of an unchanged source changes
 * nothing. Revisions are history: one that exists in both with different content is a conflict, never
 * overwritten. The same copy reads a dump file (`mp import dump`, dump.ts) through `copyRows`, so both
 * import paths compare and merge rows by one rule.
 *
 * The copy is one transaction on the target, so a failed run leaves the target as it was. The source is read
 * in pages by key (memory holds one page, plus the ids of messages and conversations seen, which the parent
 * order needs). The search index is engine-specific: it is not copied but rebuilt on the target through its
 * own SearchIndex, from what was copied.
 */
import { ConflictError } from '../core/errors.ts';
import type { StoreTables } from './engines/store-tables.ts';
import type { Store } from './store.ts';

/** Tables in an order where each row's references are already there (messages need their parents too). */
export const COPIED_TABLES = [
  // Stored actions name their account (version 7). Sessions are not copied: they sign people in to one server.
  'accounts',
  'conversations',
  'messages',
  'message_revisions',
  'model_calls',
  'workspaces',
  'proposals',
  'executions',
  'labels',
  'import_keys',
  'checkpoints',
  'test_runs',
  'prompts',
] as const satisfies readonly (keyof StoreTables)[];

export type CopiedTable = (typeof COPIED_TABLES)[number];

export interface TableCopyCount {
  added: number;
  updated: number;
  unchanged: number;
}

export type StoreCopyResult = Record<CopiedTable, TableCopyCount>;

export interface StoreCopyProgress {
  table: CopiedTable;
  /** Rows of this table read so far, and how many it has. */
  done: number;
  total: number;
}

const PAGE = 500;

/** Columns a trigger keeps on the target; copying them would count twice. */
const DERIVED_COLUMNS: Partial<Record<CopiedTable, readonly string[]>> = {
  conversations: ['message_count'],
};

/** The primary key of each table, and the order rows are read in (parents first where rows refer to rows). */
const KEYS: Record<CopiedTable, { key: readonly string[]; order: readonly string[] }> = {
  accounts: { key: ['id'], order: ['id'] },
  conversations: { key: ['id'], order: ['created_at', 'id'] },
  messages: { key: ['id'], order: ['created_at', 'id'] },
  message_revisions: { key: ['id'], order: ['id'] },
  model_calls: { key: ['id'], order: ['id'] },
  workspaces: { key: ['id'], order: ['id'] },
  proposals: { key: ['id'], order: ['id'] },
  executions: { key: ['id'], order: ['id'] },
  labels: { key: ['id'], order: ['id'] },
  import_keys: { key: ['source', 'key'], order: ['source', 'key'] },
  checkpoints: { key: ['id'], order: ['id'] },
  test_runs: { key: ['id'], order: ['id'] },
  prompts: { key: ['id'], order: ['id'] },
};

/** Columns holding the id of another row of the same table, which must be copied first. */
const SELF_REFERENCES: Partial<Record<CopiedTable, readonly string[]>> = {
  conversations: ['forked_from_conversation_id'],
  messages: ['parent_id', 'source_message_id'],
  checkpoints: ['restored_checkpoint_id'],
};

export type Row = Record<string, unknown>;

/**
 * Where copied rows come from: another store (`storeRows`), or a dump file (dump.ts). Each table's rows come
 * in pages, parents first as far as the source knows (a row whose parent comes later is held back until it
 * has come).
 */
export interface CopySource {
  pages(table: CopiedTable): AsyncIterable<Row[]>;
  /** How many rows the table has, for a progress bar; undefined when the source cannot tell cheaply. */
  count(table: CopiedTable): Promise<number | undefined>;
}

export interface CopyRowsOptions {
  source: CopySource;
  to: Store;
  onProgress?: (progress: StoreCopyProgress) => void;
  /**
   * Merging (`mp import dump`): a row that the target holds in a newer state (a later `updated_at`, an end
   * or a tombstone the incoming row lacks) is left as it is, so importing an older dump after a newer one
   * does not turn the target back. Without it the source wins, as a copy of one store into another should.
   */
  keepNewer?: boolean;
}

/**
 * @example
 * const result = await copyStore({ from: sqliteStore, to: postgresStore, onProgress: bar.update });
 * result.messages.added; // 1234
 */
export function copyStore(options: {
  from: Store;
  to: Store;
  onProgress?: (progress: StoreCopyProgress) => void;
}): Promise<StoreCopyResult> {
  const { from, ...rest } = options;
  return copyRows({ ...rest, source: storeRows(from) });
}

/**
 * Copies what `source` yields into `to`, table by table in COPIED_TABLES order, in one transaction.
 *
 * @example
 * await copyRows({ source: dumpReader, to: store, keepNewer: true });
 */
export async function copyRows(options: CopyRowsOptions): Promise<StoreCopyResult> {
  const { source, to } = options;
  const result = {} as StoreCopyResult;
  await to.transaction(async () => {
    for (const table of COPIED_TABLES) {
      result[table] = await copyTable(source, to, table, options);
    }
  });
  // Outside the transaction: indexing is work on what is now committed, in the index's own batches.
  await to.search.flush();
  return result;
}

/** Every row of a store's copied tables, in pages by key, parents first. */
export function storeRows(from: Store): CopySource {
  return {
    count: (table) => countRows(from, table),
    async *pages(table) {
      const waiting = new SelfReferenceOrder(SELF_REFERENCES[table] ?? []);
      let after: unknown[] | undefined;
      for (;;) {
        const page = await readPage(from, table, after);
        if (page.length === 0) break;
        after = KEYS[table].order.map((column) => page[page.length - 1]![column]);
        yield waiting.ready(page);
      }
      const stranded = waiting.stranded();
      if (stranded > 0) throw strandedRows(table, stranded);
    },
  };
}

async function copyTable(
  source: CopySource,
  to: Store,
  table: CopiedTable,
  options: CopyRowsOptions,
): Promise<TableCopyCount> {
  const count: TableCopyCount = { added: 0, updated: 0, unchanged: 0 };
  const total = await source.count(table);
  const waiting = new SelfReferenceOrder(SELF_REFERENCES[table] ?? []);
  let done = 0;
  options.onProgress?.({ table, done, total: total ?? 0 });
  for await (const page of source.pages(table)) {
    await writeRows(to, table, waiting.ready(page), count, options.keepNewer === true);
    done += page.length;
    options.onProgress?.({ table, done, total: total ?? done });
  }
  const stranded = waiting.stranded();
  if (stranded > 0) throw strandedRows(table, stranded);
  return count;
}

function strandedRows(table: CopiedTable, stranded: number): ConflictError {
  return new ConflictError(
    `${stranded} ${table} refer to rows of the same table that the source does not hold; the source is damaged`,
  );
}

async function countRows(store: Store, table: CopiedTable): Promise<number> {
  const row = await store.engine.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function readPage(store: Store, table: CopiedTable, after: unknown[] | undefined): Promise<Row[]> {
  const order = KEYS[table].order;
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen at run time; rows are copied column for column.
  let query = (store.engine.db as any).selectFrom(table).selectAll();
  if (after !== undefined) {
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    query = query.where(({ eb, refTuple, tuple }: any) =>
      order.length === 1 ? eb(order[0], '>', after[0]) : eb(refTuple(...order), '>', tuple(...after)),
    );
  }
  for (const column of order) query = query.orderBy(column);
  return (await query.limit(PAGE).execute()) as Row[];
}

/** Inserts what the target lacks and updates what differs, row by row against the target's own copy. */
async function writeRows(
  to: Store,
  table: CopiedTable,
  rows: Row[],
  count: TableCopyCount,
  keepNewer: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const derived = new Set(DERIVED_COLUMNS[table] ?? []);
  const key = KEYS[table].key;
  const existing = await readExisting(to, table, rows);
  const missing: Row[] = [];
  for (const row of rows) {
    const copy = Object.fromEntries(Object.entries(row).filter(([column]) => !derived.has(column)));
    const present = existing.get(keyOf(row, key));
    if (present === undefined) {
      missing.push(copy);
      continue;
    }
    const changed = Object.keys(copy).filter((column) => !sameValue(copy[column], present[column]));
    if (
      changed.length === 0 ||
      (keepNewer && table !== 'message_revisions' && isOlder(table, copy, present))
    ) {
      count.unchanged++;
      continue;
    }
    if (table === 'message_revisions') {
      throw new ConflictError(
        `revision ${String(row.id)} differs between the two stores (${changed.join(', ')}); revisions never change, so these stores hold different histories under the same ids`,
      );
    }
    // biome-ignore lint/suspicious/noExplicitAny: see readPage.
    let update = (to.database.db as any)
      .updateTable(table)
      .set(Object.fromEntries(changed.map((column) => [column, copy[column]])));
    for (const column of key) update = update.where(column, '=', row[column]);
    await update.execute();
    count.updated++;
    if (table === 'conversations') await indexForSearch(to, table, [copy]);
  }
  if (missing.length > 0) {
    if (table === 'accounts') await refuseNameTakenUnderAnotherId(to, missing);
    // biome-ignore lint/suspicious/noExplicitAny: see readPage.
    await (to.database.db as any).insertInto(table).values(missing).execute();
    count.added += missing.length;
    await indexForSearch(to, table, missing);
  }
}

/**
 * Two team servers that each made their own "alice" hold two accounts of one name: merged, whose would her
 * conversations be? Refused by name, before the database's own uniqueness error says it less clearly.
 */
async function refuseNameTakenUnderAnotherId(to: Store, incoming: Row[]): Promise<void> {
  const taken = await to.database.db
    .selectFrom('accounts')
    .select(['id', 'username'])
    .where(
      'username',
      'in',
      incoming.map((row) => String(row.username)),
    )
    .execute();
  const clash = taken[0];
  if (clash === undefined) return;
  const theirs = incoming.find((row) => row.username === clash.username);
  throw new ConflictError(
    `the account "${clash.username}" is ${String(theirs?.id)} in what is read and ${clash.id} here: two servers each made their own "${clash.username}", and one name cannot stand for both. Nothing was imported; read it into a data dir without that account (or merge on the server that made it)`,
  );
}

async function readExisting(to: Store, table: CopiedTable, rows: Row[]): Promise<Map<string, Row>> {
  const key = KEYS[table].key;
  // biome-ignore lint/suspicious/noExplicitAny: see readPage.
  const db = to.database.db as any;
  const found: Row[] =
    key.length === 1
      ? await db
          .selectFrom(table)
          .selectAll()
          .where(
            key[0],
            'in',
            rows.map((row) => row[key[0]!]),
          )
          .execute()
      : await db
          .selectFrom(table)
          .selectAll()
          // biome-ignore lint/suspicious/noExplicitAny: see readPage.
          .where(({ eb, refTuple, tuple }: any) =>
            eb.or(rows.map((row) => eb(refTuple(...key), '=', tuple(...key.map((column) => row[column]))))),
          )
          .execute();
  return new Map(found.map((row) => [keyOf(row, key), row]));
}

/** Conversations go into the target's own index as written; messages are queued by their new revisions. */
async function indexForSearch(to: Store, table: CopiedTable, rows: Row[]): Promise<void> {
  if (table === 'conversations') {
    for (const row of rows) {
      await to.search.indexConversation(String(row.id), String(row.title), String(row.description));
    }
  } else if (table === 'message_revisions') {
    for (const messageId of new Set(rows.map((row) => String(row.message_id)))) {
      await to.search.queueMessage(messageId);
    }
  }
}

/**
 * Whether `incoming` is an earlier state of the row the target holds: rows that change carry when they last
 * did (`updated_at`), or move one way only, from open to ended or live to removed.
 */
function isOlder(table: CopiedTable, incoming: Row, present: Row): boolean {
  const column = CHANGE_MARKS[table];
  if (column === undefined) return false;
  const before = incoming[column];
  const now = present[column];
  if (now == null) return false;
  return before == null || String(before) < String(now);
}

/** The column that says how far along a row is, for tables whose rows change after they are written. */
const CHANGE_MARKS: Partial<Record<CopiedTable, string>> = {
  conversations: 'updated_at',
  messages: 'updated_at',
  proposals: 'updated_at',
  prompts: 'updated_at',
  model_calls: 'ended_at',
  executions: 'ended_at',
  labels: 'deleted_at',
  accounts: 'removed_at',
};

function keyOf(row: Row, key: readonly string[]): string {
  return JSON.stringify(key.map((column) => row[column]));
}

/** Both engines read INTEGER and BIGINT back as numbers and TEXT as strings; compare after that. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a == null && b == null);
}

/**
 * Holds back a row whose parent (a column naming another row of the same table) has not been copied yet,
 * and lets it go once the parent has. Rows are read oldest first, so this is rare (a copy made under a
 * newer message, an imported history); the ids seen are kept to know.
 */
class SelfReferenceOrder {
  readonly #columns: readonly string[];
  readonly #seen = new Set<string>();
  readonly #waiting = new Map<string, Row[]>();
  #held = 0;

  constructor(columns: readonly string[]) {
    this.#columns = columns;
  }

  /** The rows of `page` that may be written now, plus any held rows they release, parents first. */
  ready(page: Row[]): Row[] {
    if (this.#columns.length === 0) return page;
    const out: Row[] = [];
    const queue = [...page];
    while (queue.length > 0) {
      const row = queue.shift()!;
      const missing = this.#columns
        .map((column) => row[column])
        .find((value): value is string => typeof value === 'string' && !this.#seen.has(value));
      if (missing !== undefined) {
        this.#waiting.set(missing, [...(this.#waiting.get(missing) ?? []), row]);
        this.#held++;
        continue;
      }
      const id = String(row.id);
      this.#seen.add(id);
      out.push(row);
      const released = this.#waiting.get(id);
      if (released !== undefined) {
        this.#waiting.delete(id);
        this.#held -= released.length;
        queue.unshift(...released);
      }
    }
    return out;
  }

  /** Rows still held at the end: their parent never came. */
  stranded(): number {
    return this.#held;
  }
}
