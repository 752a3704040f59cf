import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';

describeEachEngine('prompt library', (engine) => {
  it('keeps named prompts by name, edits them in place, and tombstones a deleted one', async () => {
    const store = await engine.openStore();
    const second = await store.prompts.create({ name: 'Reviewer', content: 'Review the diff.' });
    const first = await store.prompts.create({ name: 'Explorer', content: 'Explore first.' });
    expect((await store.prompts.list()).map((prompt) => prompt.name)).toEqual(['Explorer', 'Reviewer']);

    const edited = await store.prompts.update(first.id, { content: 'Explore, then summarise.' });
    expect(edited).toMatchObject({ id: first.id, name: 'Explorer', content: 'Explore, then summarise.' });
    expect(edited.updatedAt >= first.updatedAt).toBe(true);

    await store.prompts.delete(second.id);
    expect((await store.prompts.list()).map((prompt) => prompt.id)).toEqual([first.id]);
    await expect(store.prompts.get(second.id)).rejects.toThrow(/prompt/);
    await expect(store.prompts.update(second.id, { name: 'x' })).rejects.toThrow(/prompt/);
    const row = await store.database.db
      .selectFrom('prompts')
      .select(['deleted_at', 'content'])
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.content).toBe('Review the diff.');
  });

  it('refuses to delete a prompt row outright: the library keeps tombstones', async () => {
    const store = await engine.openStore();
    const prompt = await store.prompts.create({ name: 'Kept', content: 'text' });
    await expect(
      store.database.db.deleteFrom('prompts').where('id', '=', prompt.id).execute(),
    ).rejects.toThrow(/tombstoned/);
  });
});
