import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';

describeEachEngine('import keys', (engine) => {
  it('remembers what a key became, per source, and a key set again points at its newest target', async () => {
    const store = await engine.openStore();
    expect(await store.importKeys.get('legacy', 'conversation:1')).toBeUndefined();

    await store.importKeys.set('legacy', 'conversation:1', 'first');
    await store.importKeys.set('other', 'conversation:1', 'elsewhere');
    await store.importKeys.set('legacy', 'conversation:1', 'second');

    expect(await store.importKeys.get('legacy', 'conversation:1')).toBe('second');
    expect(await store.importKeys.get('other', 'conversation:1')).toBe('elsewhere');
    const rows = await store.database.db.selectFrom('import_keys').selectAll().execute();
    expect(rows).toHaveLength(2);
  });
});
