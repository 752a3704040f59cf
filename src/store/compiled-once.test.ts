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
