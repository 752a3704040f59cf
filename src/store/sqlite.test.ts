import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { openSqlite, pragma, type SqliteDatabase, transaction } from './sqlite.ts';

let dir: ReturnType<typeof makeTempDir>;
let db: SqliteDatabase;

beforeEach(() => {
  dir = makeTempDir('mp-sqlite-');
  db = openSqlite(join(dir.path, 'test.db'));
  db.exec('CREATE TABLE t (value TEXT NOT NULL)');
});
afterEach(() => {
  db.close();
  dir.remove();
});

const insert = (value: string) => db.prepare('INSERT INTO t VALUES (?)').run(value);
const values = () =>
  db
    .prepare('SELECT value FROM t ORDER BY rowid')
    .all()
    .map((row) => row.value);

describe('transaction', () => {
  it('commits what the action wrote and returns its result', () => {
    expect(transaction(db, () => insert('a').changes)).toBe(1);
    expect(values()).toEqual(['a']);
    expect(db.isTransaction).toBe(false);
  });

  it('undoes everything the action wrote when it throws, and rethrows', () => {
    expect(() =>
      transaction(db, () => {
        insert('a');
        throw new Error('midway');
      }),
    ).toThrow('midway');
    expect(values()).toEqual([]);
    expect(db.isTransaction).toBe(false);
  });

  it('takes the write lock at BEGIN, so a second writer waits or fails before the action runs', () => {
    const other = openSqlite(join(dir.path, 'test.db'));
    other.exec('PRAGMA busy_timeout = 0');
    try {
      transaction(db, () => {
        insert('a');
        let ran = false;
        expect(() =>
          transaction(other, () => {
            ran = true;
          }),
        ).toThrow(/locked/);
        expect(ran).toBe(false);
      });
    } finally {
      other.close();
    }
    expect(values()).toEqual(['a']);
  });

  it('makes a nested call a savepoint: its failure undoes only its own writes', () => {
    transaction(db, () => {
      insert('outer');
      expect(() =>
        transaction(db, () => {
          insert('inner');
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
      transaction(db, () => insert('second inner'));
    });
    expect(values()).toEqual(['outer', 'second inner']);
  });

  it('undoes a nested savepoint that succeeded when the outer transaction fails', () => {
    expect(() =>
      transaction(db, () => {
        transaction(db, () => insert('inner'));
        throw new Error('outer failed');
      }),
    ).toThrow('outer failed');
    expect(values()).toEqual([]);
  });

  it('refuses an async action instead of committing before it settles', () => {
    expect(() =>
      transaction(db, async () => {
        insert('a');
      }),
    ).toThrow(/async/);
    expect(values()).toEqual([]);
  });
});

describe('pragma', () => {
  it('reads a one-value pragma', () => {
    expect(pragma(db, 'user_version')).toBe(0);
    expect(typeof pragma(db, 'journal_mode')).toBe('string');
  });
});
