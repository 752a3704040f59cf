import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LegacyFixture } from '../../../test/support/legacy-fixture.ts';
import { InvalidLegacyDatabaseError } from '../../core/legacy/invalid-legacy-database-error.ts';
import { openSqlite } from '../sqlite.ts';
import { readLegacyDatabase } from './legacy-reader.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-legacy-reader-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function reasonFor(path: string): string | undefined {
  try {
    readLegacyDatabase(path);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidLegacyDatabaseError) return error.reason;
    throw error;
  }
}

describe('readLegacyDatabase', () => {
  it('returns the rows as the original wrote them, snapshots in message_order', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('hi');
    const answer = legacy.answer('hello');
    legacy.snapshot([ask, answer.message], { description: 'greeting', startupScript: 'cd ~' });
    const read = readLegacyDatabase(legacy.write(join(dir, 'legacy.db')));
    expect(read).toEqual(legacy.database());
  });

  it('counts each position once where the original re-inserted a snapshot it saved again', () => {
    const legacy = new LegacyFixture();
    legacy.snapshot([legacy.human('a'), legacy.terminal('b')]);
    const path = legacy.write(join(dir, 'legacy.db'));
    const db = openSqlite(path);
    db.exec(
      'INSERT INTO conversation_messages SELECT * FROM conversation_messages ORDER BY message_order DESC',
    );
    db.close();
    expect(readLegacyDatabase(path).snapshots[0]?.messageIds).toEqual([1, 2]);
  });

  it('reads a file from before the original had descriptions, startup scripts or stored hashes', () => {
    const path = join(dir, 'older.db');
    const db = openSqlite(path);
    db.exec(`
      CREATE TABLE messages (id INTEGER PRIMARY KEY, content TEXT, datetime TEXT, type INTEGER, role TEXT, source_id INTEGER);
      CREATE TABLE conversations (id INTEGER PRIMARY KEY, datetime TEXT);
      CREATE TABLE conversation_messages (conversation_id INTEGER, message_id INTEGER, message_order INTEGER);
      INSERT INTO messages VALUES (1, '{"role": "user", "name": "human", "content": "hi"}', '2023-04-02 16:00:00', 2, 'human', NULL);
      INSERT INTO conversations VALUES (1, '2023-04-02 16:00:01');
      INSERT INTO conversation_messages VALUES (1, 1, 0);
    `);
    db.close();
    const read = readLegacyDatabase(path);
    // The original's own key: SHA-256 of the content JSON.
    expect(read.messages[0]?.hash).toBe(
      createHash('sha256').update('{"role": "user", "name": "human", "content": "hi"}').digest('hex'),
    );
    expect(read.snapshots[0]).toMatchObject({ description: '', startupScript: '', messageIds: [1] });
  });

  it('names each kind of file it cannot read', () => {
    const directory = join(dir, 'a-directory');
    mkdirSync(directory);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'plain text that is long enough to hold a header');
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const other = join(dir, 'other.db');
    const db = openSqlite(other);
    db.exec('CREATE TABLE conversations (id INTEGER PRIMARY KEY)');
    db.close();

    expect(reasonFor(join(dir, 'missing.db'))).toBe('not-found');
    expect(reasonFor(directory)).toBe('not-sqlite');
    expect(reasonFor(text)).toBe('not-sqlite');
    expect(reasonFor(empty)).toBe('not-sqlite');
    expect(reasonFor(other)).toBe('not-legacy');
    expect(() => readLegacyDatabase(other)).toThrow(
      /missing table messages, column conversations.datetime, table conversation_messages/,
    );
  });

  it('reads without changing the file', () => {
    const legacy = new LegacyFixture();
    legacy.snapshot([legacy.human('hi')]);
    const path = legacy.write(join(dir, 'legacy.db'));
    const before = { bytes: readFileSync(path), modified: statSync(path).mtimeMs };
    readLegacyDatabase(path);
    expect(readFileSync(path).equals(before.bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.modified);
    expect(readdirSync(dir)).toEqual(['legacy.db']);
  });
});
