/**
 * Threat: another local user reads (or plants) what ModelProgrammer keeps: every conversation, command and
 * output in the database, and the instance token beside it (issue 7 item 7). The data dir is 0700 and the
 * database with its `-wal` and `-shm` 0600, whatever the umask lets a plain `mkdir` or SQLite create.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/store/open-database.ts';
import { DataDirNotPrivateError } from '../../src/store/private-files.ts';
import { openSqlite } from '../../src/store/sqlite.ts';
import { Store } from '../../src/store/store.ts';
import { requirement } from '../support/environment.ts';
import { runCli, spawnServer } from '../support/spawn-server.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof makeTempDir>;

beforeEach(() => {
  dir = makeTempDir('mp-modes-');
});
afterEach(() => {
  dir.remove();
});

const modeOf = (path: string) => `0${(statSync(path).mode & 0o777).toString(8)}`;

/** The database and the two files SQLite creates beside it in WAL mode, which must all exist to be checked. */
function databaseFiles(dataDir: string): string[] {
  const path = databasePath(dataDir);
  const files = [path, `${path}-wal`, `${path}-shm`];
  for (const file of files) expect(existsSync(file), `${file} exists`).toBe(true);
  return files;
}

async function writeSomething(store: Store): Promise<void> {
  await store.transaction(() => store.conversations.create({ title: 'private' }));
}

describe('data dir and database modes', () => {
  it('creates a new data dir 0700 and the database, its -wal and -shm 0600', async () => {
    const dataDir = join(dir.path, 'not', 'yet', 'there');
    const store = await Store.open(databasePath(dataDir));
    try {
      await writeSomething(store);
      expect(modeOf(dataDir)).toBe('0700');
      for (const file of databaseFiles(dataDir)) expect([file, modeOf(file)]).toEqual([file, '0600']);
    } finally {
      await store.close();
    }
  });

  it('tightens a data dir and database files an earlier version left readable by others', async () => {
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const path = databasePath(dataDir);
    const earlier = openSqlite(path);
    earlier.exec('PRAGMA journal_mode = WAL; CREATE TABLE kept (x); INSERT INTO kept VALUES (1)');
    earlier.close();
    writeFileSync(`${path}-wal`, '');
    for (const file of [path, `${path}-wal`]) chmodSync(file, 0o644);

    const store = await Store.open(path);
    try {
      await writeSomething(store);
      expect(modeOf(dataDir)).toBe('0700');
      for (const file of databaseFiles(dataDir)) expect([file, modeOf(file)]).toEqual([file, '0600']);
      expect((await sql`SELECT x FROM kept`.execute(store.engine.db)).rows).toEqual([{ x: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('refuses a shared folder like /tmp (world-writable, sticky) instead of changing its mode', async () => {
    const shared = join(dir.path, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await expect(Store.open(databasePath(shared))).rejects.toThrow(DataDirNotPrivateError);
    await expect(Store.open(databasePath(shared))).rejects.toThrow(
      /mode 01777.*point --data-dir at a folder of your own/,
    );
    expect(modeOf(shared)).toBe('0777');
    expect(readdirSync(shared)).toEqual([]);
  });

  it('`mp serve` refuses a shared data dir before it writes anything there, the token included', async () => {
    const shared = join(dir.path, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const result = await runCli(['serve', '--no-open', '--port', '0', '--data-dir', shared]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is a shared folder.*point --data-dir at a folder of your own/);
    expect(readdirSync(shared)).toEqual([]);
  });

  it("refuses another user's folder instead of changing its mode", async () => {
    if (!requirement('root (to give a folder to another user)', process.getuid?.() === 0)) return;
    const theirs = join(dir.path, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chmodSync(theirs, 0o755);
    chownSync(theirs, 65534, 65534);
    await expect(Store.open(databasePath(theirs))).rejects.toThrow(/belongs to another user \(uid 65534\)/);
    expect(modeOf(theirs)).toBe('0755');
    expect(readdirSync(theirs)).toEqual([]);
  });

  it('holds for `mp serve`: data dir 0700; token, database, -wal and -shm 0600 while it runs', async () => {
    const dataDir = join(dir.path, 'served');
    const server = await spawnServer({ dataDir });
    try {
      const created = await fetch(`http://127.0.0.1:${server.port}/api/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'private' }),
      });
      expect(created.ok).toBe(true);
      expect(modeOf(dataDir)).toBe('0700');
      for (const file of [join(dataDir, 'token'), ...databaseFiles(dataDir)]) {
        expect([file, modeOf(file)]).toEqual([file, '0600']);
      }
    } finally {
      await server.stop();
    }
  });
});
