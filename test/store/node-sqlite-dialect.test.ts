/**
 * Kysely on node:sqlite (issue 10): the SQLite half of the one query code path runs on a real database file
 * opened with the store's durability settings, and its transactions commit, roll back and nest.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/core/ids.ts';
import { chooseDatabase } from '../../src/store/engines/database-url.ts';
import { NodeSqliteDialect } from '../../src/store/engines/node-sqlite-dialect.ts';
import { openStoreEngine } from '../../src/store/engines/open-engine.ts';
import type { StoreTables } from '../../src/store/engines/store-tables.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { databasePath, openDatabase } from '../../src/store/open-database.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp: { remove: () => void }[] = [];
afterEach(() => {
  for (const dir of temp.splice(0)) dir.remove();
});

function openKysely(): { db: Kysely<StoreTables>; path: string } {
  const dir = makeTempDir('mp-kysely-');
  temp.push(dir);
  const path = databasePath(join(dir.path, 'data'));
  return { db: new Kysely<StoreTables>({ dialect: new NodeSqliteDialect({ path }) }), path };
}

function conversation(id: string) {
  const at = nowIso();
  return { id, title: `title ${id}`, created_at: at, updated_at: at };
}

async function ids(db: Kysely<StoreTables>): Promise<string[]> {
  const rows = await db.selectFrom('conversations').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

describe('NodeSqliteDialect', () => {
  it('opens the file as the store does: WAL, synchronous=FULL, foreign keys, busy timeout, migrated, private', async () => {
    const { db, path } = openKysely();
    try {
      const pragmas: Record<string, unknown> = {};
      for (const name of ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout', 'user_version']) {
        const result = await sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`.execute(db);
        pragmas[name] = Object.values(result.rows[0] ?? {})[0];
      }
      expect(pragmas).toEqual({
        journal_mode: 'wal',
        synchronous: 2,
        foreign_keys: 1,
        busy_timeout: 5000,
        user_version: SCHEMA_VERSION,
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      await db.destroy();
    }
  });

  it('inserts and selects typed rows as plain objects, and reports changed rows', async () => {
    const { db } = openKysely();
    try {
      await db
        .insertInto('conversations')
        .values([conversation('a'), conversation('b')])
        .execute();
      const row = await db
        .selectFrom('conversations')
        .select(['id', 'title', 'message_count', 'settings'])
        .where('id', '=', 'a')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ id: 'a', title: 'title a', message_count: 0, settings: '{}' });
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      const returned = await db
        .updateTable('conversations')
        .set({ title: 'renamed' })
        .where('id', '=', 'b')
        .returning(['id', 'title'])
        .execute();
      expect(returned).toEqual([{ id: 'b', title: 'renamed' }]);
      const result = await db.updateTable('conversations').set({ description: 'x' }).executeTakeFirst();
      expect(result.numUpdatedRows).toBe(2n);
      const streamed: string[] = [];
      for await (const each of db.selectFrom('conversations').select('id').orderBy('id').stream()) {
        streamed.push(each.id);
      }
      expect(streamed).toEqual(['a', 'b']);
    } finally {
      await db.destroy();
    }
  });

  it('commits a transaction, rolls back a failed one whole, and undoes only a failed savepoint', async () => {
    const { db, path } = openKysely();
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('conversations').values(conversation('kept')).execute();
      });
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('conversations').values(conversation('undone')).execute();
          throw new Error('the action failed');
        }),
      ).rejects.toThrow('the action failed');
      // The schema's own invariant, through the same path: a conversation is never deleted.
      await expect(db.deleteFrom('conversations').execute()).rejects.toThrow('conversations are tombstoned');

      const trx = await db.startTransaction().execute();
      await trx.insertInto('conversations').values(conversation('outer')).execute();
      const savepoint = await trx.savepoint('inner').execute();
      await savepoint.insertInto('conversations').values(conversation('inner')).execute();
      await savepoint.rollbackToSavepoint('inner').execute();
      await trx.commit().execute();
      expect(await ids(db)).toEqual(['kept', 'outer']);
    } finally {
      await db.destroy();
    }
    // Committed means on disk: another connection to the file sees exactly the committed rows.
    const other = openDatabase(path);
    try {
      expect(
        other
          .prepare('SELECT id FROM conversations ORDER BY id')
          .all()
          .map((row) => row.id),
      ).toEqual(['kept', 'outer']);
    } finally {
      other.close();
    }
  });

  it('begins transactions IMMEDIATE: a second connection cannot write until the first commits', async () => {
    const { db, path } = openKysely();
    const other = openDatabase(path);
    try {
      other.exec('PRAGMA busy_timeout = 0');
      const trx = await db.startTransaction().execute();
      // Nothing written yet, but the write lock is already held (a deferred BEGIN would not hold it).
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/database is locked/);
      await trx.commit().execute();
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
      await db.destroy();
    }
  });

  it('leaves a database it was given open for its owner', async () => {
    const dir = makeTempDir('mp-kysely-');
    temp.push(dir);
    const database = openDatabase(databasePath(dir.path));
    const db = new Kysely<StoreTables>({ dialect: new NodeSqliteDialect({ database }) });
    await db.insertInto('conversations').values(conversation('shared')).execute();
    await db.destroy();
    expect(database.isOpen).toBe(true);
    expect(database.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 1 });
    database.close();
  });

  it("is what openStoreEngine gives without a database URL: the data dir's file, shared with node:sqlite", async () => {
    const dir = makeTempDir('mp-kysely-');
    temp.push(dir);
    const engine = await openStoreEngine(chooseDatabase({ flag: undefined, environment: '' }), {
      dataDir: dir.path,
    });
    if (engine.kind !== 'sqlite') throw new Error(`expected sqlite, got ${engine.kind}`);
    await engine.db.insertInto('conversations').values(conversation('both')).execute();
    expect(engine.sqlite.prepare('SELECT id FROM conversations').all()).toEqual([{ id: 'both' }]);
    await engine.close();
    expect(engine.sqlite.isOpen).toBe(false);
    const reopened = openDatabase(databasePath(dir.path));
    expect(reopened.prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 1 });
    reopened.close();
  });
});
