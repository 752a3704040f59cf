/**
 * The `dump` format (issue 9 item 2): a store's tables as JSON lines, lossless, for backup and for merging
 * several people's work. The first line says what the file is and the schema it was written at:
 *
 *   {"format":"mp-dump","schemaVersion":11}
 *   {"table":"conversations","row":{"id":"…","title":"…",…}}
 *
 * then one line per row: every table of COPIED_TABLES in that order (parents before the rows that name
 * them), each row's raw columns as the database holds them (ids, timestamps and JSON as text, flags as 0/1),
 * so nothing is interpreted on the way out or in. `importDump` reads a dump into another store through the
 * same copy as `mp migrate-store` (copy-store.ts): ids kept, rows already there compared, not duplicated, so a
 * second import adds nothing and two overlapping dumps merge (the newer state of a changed row wins).
 *
 * A dump holds everything, every account's conversations and the accounts' password hashes too: it is as
 * private as the database itself.
 */
import { InvalidRequestError } from '../core/errors.ts';
import {
  COPIED_TABLES,
  type CopiedTable,
  type CopySource,
  copyRows,
  type Row,
  type StoreCopyProgress,
  type StoreCopyResult,
  storeRows,
} from './copy-store.ts';
import { STORE_TABLES_VERSION } from './engines/store-tables.ts';
import type { Store } from './store.ts';

export const DUMP_FORMAT = 'mp-dump';

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  schemaVersion: number;
}

/**
 * The dump's lines, without newlines, read page by page (memory holds one page).
 *
 * @example
 * for await (const line of dumpLines(store)) out.write(`${line}\n`);
 */
export async function* dumpLines(
  store: Store,
  options: { onProgress?: (progress: StoreCopyProgress) => void } = {},
): AsyncGenerator<string> {
  const header: DumpHeader = { format: DUMP_FORMAT, schemaVersion: STORE_TABLES_VERSION };
  yield JSON.stringify(header);
  const source = storeRows(store);
  for (const table of COPIED_TABLES) {
    const total = (await source.count(table)) ?? 0;
    let done = 0;
    options.onProgress?.({ table, done, total });
    for await (const page of source.pages(table)) {
      for (const row of page) yield JSON.stringify({ table, row });
      done += page.length;
      options.onProgress?.({ table, done, total });
    }
  }
}

/**
 * Reads a dump's lines into `to`: one transaction, rows kept with their ids, what is already there left
 * alone (or brought up to a newer state). Throws InvalidRequestError naming the line for anything that is
 * not a dump this version can read, before writing anything for that line.
 *
 * @example
 * const result = await importDump({ to: store, lines: readline.createInterface({ input }) });
 */
export async function importDump(options: {
  to: Store;
  lines: AsyncIterable<string>;
  onProgress?: (progress: StoreCopyProgress) => void;
}): Promise<StoreCopyResult> {
  const columns = await tableColumns(options.to);
  const reader = new DumpReader(options.lines, columns);
  await reader.readHeader();
  const result = await copyRows({
    source: reader,
    to: options.to,
    keepNewer: true,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return result;
}

/** The columns each copied table has in this store, to refuse a dump line naming any other. */
async function tableColumns(store: Store): Promise<Map<string, Set<string>>> {
  const tables = await store.engine.db.introspection.getTables();
  return new Map(
    tables
      .filter((table) => (COPIED_TABLES as readonly string[]).includes(table.name))
      .map((table) => [table.name, new Set(table.columns.map((column) => column.name))]),
  );
}

const PAGE = 500;

/**
 * The dump's rows as a copy source. Tables come one after the other in COPIED_TABLES order, so the reader
 * streams: `pages(table)` takes lines while they belong to that table and stops at the first of a later one.
 */
class DumpReader implements CopySource {
  readonly #lines: AsyncIterator<string>;
  readonly #columns: Map<string, Set<string>>;
  #lineNumber = 0;
  #next: { table: CopiedTable; row: Row } | undefined;
  #ended = false;

  constructor(lines: AsyncIterable<string>, columns: Map<string, Set<string>>) {
    this.#lines = lines[Symbol.asyncIterator]();
    this.#columns = columns;
  }

  async readHeader(): Promise<DumpHeader> {
    return parseDumpHeader(await this.#readLine());
  }

  async count(): Promise<undefined> {
    return undefined;
  }

  async *pages(table: CopiedTable): AsyncIterable<Row[]> {
    let page: Row[] = [];
    for (;;) {
      const next = await this.#peek();
      if (next === undefined || next.table !== table) break;
      this.#next = undefined;
      page.push(next.row);
      if (page.length === PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
    if (table === COPIED_TABLES.at(-1)) {
      const left = await this.#peek();
      if (left !== undefined) {
        throw new InvalidRequestError(
          `line ${this.#lineNumber}: rows of ${left.table} after those of later tables; a dump lists its tables in the order mp export writes them`,
          'dump',
        );
      }
    }
  }

  async #peek(): Promise<{ table: CopiedTable; row: Row } | undefined> {
    if (this.#next !== undefined) return this.#next;
    for (;;) {
      const line = await this.#readLine();
      if (line === undefined) return undefined;
      if (line.trim() === '') continue;
      this.#next = this.#parseRow(line);
      return this.#next;
    }
  }

  async #readLine(): Promise<string | undefined> {
    if (this.#ended) return undefined;
    const next = await this.#lines.next();
    if (next.done === true) {
      this.#ended = true;
      return undefined;
    }
    this.#lineNumber++;
    return next.value;
  }

  #parseRow(line: string): { table: CopiedTable; row: Row } {
    const at = `line ${this.#lineNumber}`;
    const value = parseLine(line, this.#lineNumber) as { table?: unknown; row?: unknown };
    const columns = typeof value.table === 'string' ? this.#columns.get(value.table) : undefined;
    if (columns === undefined) {
      throw new InvalidRequestError(
        `${at}: ${JSON.stringify(value.table)} is not a table a dump holds (${COPIED_TABLES.join(', ')})`,
        'dump',
      );
    }
    if (typeof value.row !== 'object' || value.row === null || Array.isArray(value.row)) {
      throw new InvalidRequestError(`${at}: "row" must be an object of column values`, 'dump');
    }
    for (const [column, cell] of Object.entries(value.row)) {
      if (!columns.has(column)) {
        throw new InvalidRequestError(
          `${at}: ${value.table} has no column ${JSON.stringify(column)} in this store (a dump from another version of mp?)`,
          'dump',
        );
      }
      if (cell !== null && typeof cell === 'object') {
        throw new InvalidRequestError(
          `${at}: ${value.table}.${column} holds an object; a dump's cells are text, numbers or null`,
          'dump',
        );
      }
    }
    return { table: value.table as CopiedTable, row: value.row as Row };
  }
}

/**
 * A dump's first line, checked: what the file is, and a schema this mp can read. The CLI checks it before it
 * opens the store, so a file that is not a dump touches nothing.
 */
export function parseDumpHeader(line: string | undefined): DumpHeader {
  if (line === undefined) throw new InvalidRequestError('the dump is empty: it has no header line', 'dump');
  const header = parseLine(line, 1) as Partial<DumpHeader>;
  if (header.format !== DUMP_FORMAT || typeof header.schemaVersion !== 'number') {
    throw new InvalidRequestError(
      `line 1: not an mp dump (it should start with {"format":"${DUMP_FORMAT}",…}); write one with mp export --format dump`,
      'dump',
    );
  }
  if (header.schemaVersion > STORE_TABLES_VERSION) {
    throw new InvalidRequestError(
      `the dump was written at schema version ${header.schemaVersion}, newer than this mp's ${STORE_TABLES_VERSION}: upgrade mp to import it`,
      'dump',
    );
  }
  return { format: DUMP_FORMAT, schemaVersion: header.schemaVersion };
}

function parseLine(line: string, lineNumber: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InvalidRequestError(
      `line ${lineNumber}: not JSON (${error instanceof Error ? error.message : String(error)})`,
      'dump',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`line ${lineNumber}: a dump line is a JSON object`, 'dump');
  }
  return value;
}
