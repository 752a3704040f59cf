import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InvalidLegacyDatabaseError } from '../../core/legacy/invalid-legacy-database-error.ts';
import type {
  LegacyDatabase,
  LegacyMessageRow,
  LegacySnapshotRow,
} from '../../core/legacy/legacy-database.ts';
import { statement } from '../prepared.ts';
import { isSqliteError, openSqlite, SQLITE_NOTADB, type SqliteDatabase } from '../sqlite.ts';

/** Columns the import cannot do without; the original added `description` and `startup_script` later. */
const REQUIRED_COLUMNS: Record<string, readonly string[]> = {
  messages: ['id', 'content', 'datetime', 'type', 'role', 'source_id'],
  conversations: ['id', 'datetime'],
  conversation_messages: ['conversation_id', 'message_id', 'message_order'],
};

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Reads a database written by the original Python/Qt ModelProgrammer, read-only, and checks it is one.
 * Everything is read before anything is imported, so a bad file changes nothing.
 */
export function readLegacyDatabase(path: string): LegacyDatabase {
  checkIsSqliteFile(path);
  let db: SqliteDatabase | undefined;
  try {
    db = openSqlite(path, { readOnly: true });
    checkSchema(db, path);
    const columns = columnNames(db);
    const messages = readMessages(db);
    return { messages, snapshots: readSnapshots(db, columns, messages) };
  } catch (error) {
    if (error instanceof InvalidLegacyDatabaseError) throw error;
    if (isSqliteError(error) && (error.errcode & 0xff) === SQLITE_NOTADB) {
      throw new InvalidLegacyDatabaseError('not-sqlite', `${path} is not a SQLite database`, {
        path,
        cause: error,
      });
    }
    if (isSqliteError(error)) {
      throw new InvalidLegacyDatabaseError('unreadable', `${path} could not be read: ${error.message}`, {
        path,
        cause: error,
      });
    }
    throw error;
  } finally {
    db?.close();
  }
}

function checkIsSqliteFile(path: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new InvalidLegacyDatabaseError('not-sqlite', `${path} is a directory; give the legacy .db file`, {
        path,
      });
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof InvalidLegacyDatabaseError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not-found' : 'unreadable';
    const message = code === 'ENOENT' ? `${path} does not exist` : `${path} could not be read (${code})`;
    throw new InvalidLegacyDatabaseError(reason, message, { path, cause: error });
  }
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < header.length || header.toString('latin1') !== SQLITE_HEADER) {
    throw new InvalidLegacyDatabaseError(
      'not-sqlite',
      `${path} is not a SQLite database, so not one written by the original ModelProgrammer`,
      { path },
    );
  }
}

function checkSchema(db: SqliteDatabase, path: string): void {
  const columns = columnNames(db);
  const missing = Object.entries(REQUIRED_COLUMNS).flatMap(([table, required]) => {
    const present = columns.get(table);
    if (!present) return [`table ${table}`];
    return required.filter((column) => !present.has(column)).map((column) => `column ${table}.${column}`);
  });
  if (missing.length > 0) {
    throw new InvalidLegacyDatabaseError(
      'not-legacy',
      `${path} is a SQLite database, but not one written by the original ModelProgrammer (missing ${missing.join(', ')})`,
      { path },
    );
  }
}

function columnNames(db: SqliteDatabase): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const table of Object.keys(REQUIRED_COLUMNS)) {
    const names = statement<[string], { name: string }>(db, 'SELECT name FROM pragma_table_info(?)')
      .all(table)
      .map((column) => column.name);
    if (names.length > 0) map.set(table, new Set(names));
  }
  return map;
}

interface RawMessage {
  id: number;
  hash: unknown;
  content: unknown;
  datetime: unknown;
  type: unknown;
  role: unknown;
  source_id: unknown;
}

function readMessages(db: SqliteDatabase): LegacyMessageRow[] {
  const hasHash = columnNames(db).get('messages')?.has('hash') ?? false;
  const rows = statement<[], RawMessage>(
    db,
    `SELECT id, ${hasHash ? 'hash' : 'NULL AS hash'}, content, datetime, type, role, source_id FROM messages ORDER BY id`,
  ).all();
  const seen = new Set<string>();
  return rows.map((row) => {
    const content = text(row.content);
    // The original keyed every message by the SHA-256 of its content; recompute it where it is missing, and
    // keep keys unique even if a damaged file repeats one.
    let hash = typeof row.hash === 'string' && row.hash !== '' ? row.hash : sha256(content);
    if (seen.has(hash)) hash = `${hash}#${row.id}`;
    seen.add(hash);
    return {
      id: row.id,
      hash,
      content,
      datetime: text(row.datetime),
      type: row.type === null ? 5 : Number(row.type),
      role: text(row.role),
      sourceId: row.source_id === null ? null : Number(row.source_id),
    };
  });
}

interface RawSnapshot {
  id: number;
  hash: unknown;
  datetime: unknown;
  description: unknown;
  startup_script: unknown;
}

function readSnapshots(
  db: SqliteDatabase,
  columns: Map<string, Set<string>>,
  messages: LegacyMessageRow[],
): LegacySnapshotRow[] {
  const has = (column: string) => columns.get('conversations')?.has(column) ?? false;
  const select = (column: string, fallback: string) => (has(column) ? column : `${fallback} AS ${column}`);
  const snapshots = statement<[], RawSnapshot>(
    db,
    `SELECT id, ${select('hash', 'NULL')}, datetime, ${select('description', "''")}, ${select('startup_script', "''")}
       FROM conversations ORDER BY id`,
  ).all();
  const listed = new Map<number, number[]>();
  let current: { conversationId: number; order: number; ids: number[] } | undefined;
  // Streamed: a long session lists every message again in each of its snapshots, so this table is by far
  // the largest, and holding all its rows at once would cost hundreds of megabytes.
  const entries = statement<[], { conversation_id: number; message_id: unknown; message_order: unknown }>(
    db,
    'SELECT conversation_id, message_id, message_order FROM conversation_messages ORDER BY conversation_id, message_order, rowid',
  ).iterate();
  for (const {
    conversation_id: conversationId,
    message_id: messageId,
    message_order: messageOrder,
  } of entries) {
    if (messageId === null) {
      throw new InvalidLegacyDatabaseError(
        'bad-data',
        `legacy conversation ${conversationId} lists a message without an id`,
      );
    }
    const order = Number(messageOrder);
    if (current?.conversationId !== conversationId) {
      current = { conversationId, order, ids: [Number(messageId)] };
      listed.set(conversationId, current.ids);
    } else if (order !== current.order) {
      current.order = order;
      current.ids.push(Number(messageId));
    }
    // The same position again: the original re-inserted a snapshot's entries each time it saved an unchanged
    // list (the table has no key), so a position appears as often as the list was saved; the first one counts.
  }
  const hashOf = new Map(messages.map((message) => [message.id, message.hash]));
  return snapshots.map((row) => {
    const messageIds = listed.get(row.id) ?? [];
    return {
      id: row.id,
      hash:
        typeof row.hash === 'string' && row.hash !== ''
          ? row.hash
          : sha256(JSON.stringify(messageIds.map((id) => hashOf.get(id) ?? String(id)))),
      datetime: text(row.datetime),
      description: text(row.description),
      startupScript: text(row.startup_script),
      messageIds,
    };
  });
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  // node:sqlite returns BLOBs as Uint8Array (the original stored some text as BLOB).
  return value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
}

function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
