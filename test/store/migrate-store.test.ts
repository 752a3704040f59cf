/**
 * `mp migrate-store` (issue 10 item 2): the legacy demo database, imported into SQLite, copied to PostgreSQL
 * and back into a new SQLite store, comes back the same, table by table; a second run adds nothing; a
 * changed source brings the target up to date; the command itself runs end to end.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLegacyDatabase } from '../../src/agent/legacy-import.ts';
import { COPIED_TABLES, copyStore } from '../../src/store/copy-store.ts';
import type { PostgresLocation } from '../../src/store/engines/database-url.ts';
import { Store } from '../../src/store/store.ts';
import { hasSharedFixture, requirement, sharedFixture } from '../support/environment.ts';
import { POSTGRES_REQUIREMENT, postgresAvailability, usePostgres } from '../support/postgres.ts';
import { runCli } from '../support/spawn-server.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const ready =
  requirement(POSTGRES_REQUIREMENT, postgresAvailability().available) &&
  requirement(
    'the legacy demo database (../shared/fixtures/legacy/demo.db)',
    hasSharedFixture('legacy', 'demo.db'),
  );

type Row = Record<string, unknown>;

/** Every row of every copied table, in key order, as plain values. */
async function snapshot(store: Store): Promise<Record<string, Row[]>> {
  const tables: Record<string, Row[]> = {};
  for (const table of COPIED_TABLES) {
    const order = table === 'import_keys' ? ['source', 'key'] : ['id'];
    // biome-ignore lint/suspicious/noExplicitAny: every table, read whole.
    let query = (store.engine.db as any).selectFrom(table).selectAll();
    for (const column of order) query = query.orderBy(column);
    tables[table] = (await query.execute()) as Row[];
  }
  return tables;
}

describe.skipIf(!ready)('mp migrate-store', () => {
  const server = usePostgres();
  const dir = makeTempDir('mp-migrate-store-');
  let legacyStore: Store;

  beforeAll(async () => {
    legacyStore = await Store.open(join(dir.path, 'legacy', 'modelprogrammer.db'));
    await importLegacyDatabase({ store: legacyStore, path: sharedFixture('legacy', 'demo.db') });
  });

  afterAll(async () => {
    await legacyStore?.close();
    dir.remove();
  });

  async function postgresStore(
    location?: PostgresLocation,
  ): Promise<{ store: Store; location: PostgresLocation }> {
    const at = location ?? (await server().createDatabase());
    return { store: await Store.open(at), location: at };
  }

  it('round-trips the legacy import SQLite → PostgreSQL → SQLite with the same rows, table by table', async () => {
    const original = await snapshot(legacyStore);
    expect(original.messages!.length).toBeGreaterThan(10);
    expect(original.model_calls!.length).toBeGreaterThan(0);

    const { store: postgres } = await postgresStore();
    const back = await Store.open(join(dir.path, 'back', 'modelprogrammer.db'));
    try {
      const there = await copyStore({ from: legacyStore, to: postgres });
      expect(there.messages.added).toBe(original.messages!.length);
      expect(await snapshot(postgres)).toEqual(original);

      await copyStore({ from: postgres, to: back });
      expect(await snapshot(back)).toEqual(original);

      // Search works on each copy through its own engine's index.
      const word = String(original.message_revisions![0]!.content).match(/[A-Za-z]{5,}/)?.[0];
      expect(word).toBeDefined();
      for (const store of [postgres, back]) {
        expect((await store.search.search(word!)).messages.length).toBeGreaterThan(0);
      }
    } finally {
      await postgres.close();
      await back.close();
    }
  });

  it('adds nothing on a second run, and brings changed rows up to date on a later one', async () => {
    const { store: postgres } = await postgresStore();
    try {
      await copyStore({ from: legacyStore, to: postgres });
      const again = await copyStore({ from: legacyStore, to: postgres });
      for (const table of COPIED_TABLES) {
        expect({ table, added: again[table].added, updated: again[table].updated }).toEqual({
          table,
          added: 0,
          updated: 0,
        });
      }

      const [first] = await legacyStore.conversations.list();
      await legacyStore.conversations.update(first!.id, { title: 'Renamed after the first copy' });
      const message = await legacyStore.messages.append(first!.id, {
        role: 'user',
        author: 'human',
        content: 'written after the first copy',
      });
      const later = await copyStore({ from: legacyStore, to: postgres });
      expect(later.messages.added).toBe(1);
      expect(later.message_revisions.added).toBe(1);
      expect(later.conversations.updated).toBe(1);
      expect((await postgres.messages.get(message.id)).content).toBe('written after the first copy');
      expect((await postgres.conversations.get(first!.id)).currentLeafId).toBe(message.id);
      expect((await postgres.search.search('Renamed')).conversations.map((c) => c.id)).toEqual([first!.id]);
    } finally {
      await postgres.close();
    }
  });

  it('runs from the command line and says what it copied', async () => {
    const location = await server().createDatabase();
    const url = `postgres://${location.user}:${location.password}@${location.host}:${location.port}/${location.database}`;
    const legacyDir = join(dir.path, 'cli-source');
    const seeded = await Store.open(join(legacyDir, 'modelprogrammer.db'));
    const conversation = await seeded.conversations.create({ title: 'From the command line' });
    await seeded.messages.append(conversation.id, { role: 'user', author: 'human', content: 'hello' });
    await seeded.close();

    const run = () => runCli(['migrate-store', '--from', legacyDir, '--to', url]);
    const first = await run();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/conversations\s+1 added/);
    expect(first.stdout).toMatch(/messages\s+1 added/);
    expect(first.stdout).not.toContain(location.password!);

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing new');

    const wrong = await runCli([
      'migrate-store',
      '--from',
      legacyDir,
      '--to',
      url.replace(`:${location.password}@`, ':wrong-password@'),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^mp: .*password/m);
    expect(wrong.stderr).not.toContain('wrong-password');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
