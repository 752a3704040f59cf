import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { CompiledOnce } from './compiled-once.ts';

const titleOf = new CompiledOnce((db, id: string) =>
  db.selectFrom('conversations').select('title').where('id', '=', id).where('deleted_at', 'is', null),
);

describeEachEngine('a statement compiled once', (engine) => {
  it('runs with each call’s values, in the caller’s transaction', async () => {
    const store = await engine.openStore();
    const first = await store.conversations.create({ title: 'first' });
    const second = await store.conversations.create({ title: 'second' });
    expect((await titleOf.execute(store.database, first.id)).rows).toEqual([{ title: 'first' }]);
    expect((await titleOf.execute(store.database, second.id)).rows).toEqual([{ title: 'second' }]);
    await store
      .transaction(async () => {
        await store.conversations.update(first.id, { title: 'renamed' });
        expect((await titleOf.execute(store.database, first.id)).rows).toEqual([{ title: 'renamed' }]);
        throw new Error('undo');
      })
      .catch(() => {});
    expect((await titleOf.execute(store.database, first.id)).rows).toEqual([{ title: 'first' }]);
  });

  it('outside a transaction, waits for one in progress instead of running inside it', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'before' });
    const { promise: renamed, resolve: markRenamed } = Promise.withResolvers<void>();
    const { promise: release, resolve: end } = Promise.withResolvers<void>();
    const held = store.transaction(async () => {
      await store.conversations.update(conversation.id, { title: 'uncommitted' });
      markRenamed();
      await release;
      throw new Error('undo');
    });
    await renamed;
    // Run from outside the transaction while it holds the connection: on SQLite it must queue behind it (the
    // statement runs directly on the connection only inside a transaction), never see its uncommitted title.
    const outside = titleOf.execute(store.database, conversation.id);
    end();
    await expect(held).rejects.toThrow('undo');
    expect((await outside).rows).toEqual([{ title: 'before' }]);
  });
});

describe('CompiledOnce', () => {
  it('refuses a builder that does not pass every value to the SQL', async () => {
    const ignoring = new CompiledOnce((db, _id: string) => db.selectFrom('conversations').select('id'));
    const { Store } = await import('./store.ts');
    const store = await Store.open(':memory:');
    try {
      expect(() => ignoring.execute(store.database, 'x')).toThrow(/every value must be a parameter/);
    } finally {
      await store.close();
    }
  });
});
