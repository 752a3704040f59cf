/**
 * The store's transaction on SQLite runs BEGIN, COMMIT and ROLLBACK on the connection itself (store-database.ts,
 * issue 7 item 9): these pin what Kysely's transaction did for it, where SQLite itself ends a transaction.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { Store } from './store.ts';

describe('a store transaction on SQLite', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openStore(): Promise<Store> {
    const dir = makeTempDir('mp-sqlite-transaction-');
    const store = await Store.open(`${dir.path}/store.db`);
    cleanups.push(dir.remove, () => store.close());
    return store;
  }

  it('that the disk ended half-way reports the disk’s error, writes nothing, and the next one works', async () => {
    const store = await openStore();
    const conversation = await store.conversations.create({ title: 'full' });
    const db = store.engine.db;
    // A database that may not grow stands for a full disk: SQLite fails the write with SQLITE_FULL.
    const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db);
    await sql.raw(`PRAGMA max_page_count = ${rows[0]!.page_count}`).execute(db);
    await expect(
      store.transaction(async () => {
        for (let i = 0; i < 200; i++) {
          await store.messages.append(conversation.id, {
            role: 'user',
            author: 'human',
            content: `message ${i} `.repeat(200),
          });
        }
      }),
    ).rejects.toThrow(/full/i);
    await sql.raw('PRAGMA max_page_count = 1073741823').execute(db);
    expect(await store.messages.path(conversation.id)).toEqual([]);
    const message = await store.transaction(() =>
      store.messages.append(conversation.id, { role: 'user', author: 'human', content: 'after' }),
    );
    expect((await store.messages.path(conversation.id)).map((m) => m.id)).toEqual([message.id]);
  });

  it('keeps every other query out until it ends, and they see only what it committed', async () => {
    const store = await openStore();
    const conversation = await store.conversations.create({ title: 'before' });
    const { promise: renamed, resolve: markRenamed } = Promise.withResolvers<void>();
    const { promise: release, resolve: end } = Promise.withResolvers<void>();
    const held = store.transaction(async () => {
      await store.conversations.update(conversation.id, { title: 'committed' });
      markRenamed();
      await release;
    });
    await renamed;
    const outside = store.conversations.get(conversation.id);
    end();
    await held;
    expect((await outside).title).toBe('committed');
  });
});
