import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';

describeEachEngine('summaries', (engine) => {
  it('appends one summary at the leaf naming its originals, unchecks them, and undo reverses both flags', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'Long' });
    const first = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'a',
    });
    const second = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'b',
    });
    const created = await store.summaries.create(conversation.id, {
      role: 'user',
      author: 'model',
      editor: 'model',
      content: 'Summary of earlier work: a, b.',
      summarizes: [first.id, second.id],
    });
    expect(created.summary).toMatchObject({
      parentId: second.id,
      summarizes: [first.id, second.id],
      included: true,
    });
    expect(created.originals.map((message) => message.included)).toEqual([false, false]);
    const path = await store.messages.path(conversation.id);
    expect(path.map((message) => [message.content, message.included, message.summarizes])).toEqual([
      ['a', false, null],
      ['b', false, null],
      ['Summary of earlier work: a, b.', true, [first.id, second.id]],
    ]);
    expect((await store.messages.pathStats(conversation.id))?.included).toBe(1);

    const undone = await store.summaries.undo(created.summary.id);
    expect(undone.summary.included).toBe(false);
    expect((await store.messages.path(conversation.id)).map((message) => message.included)).toEqual([
      true,
      true,
      false,
    ]);
    await expect(store.summaries.undo(first.id)).rejects.toThrow(/not a summary/);
  });

  it('writes nothing when an original cannot be unchecked (all or nothing)', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'Deleted original' });
    const kept = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'a',
    });
    const gone = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'b',
    });
    await store.messages.delete([gone.id]);
    await expect(
      store.transaction(() =>
        store.summaries.create(conversation.id, {
          role: 'user',
          author: 'human',
          editor: 'human',
          content: 'summary',
          summarizes: [kept.id, gone.id],
        }),
      ),
    ).rejects.toThrow(/deleted/);
    const path = await store.messages.path(conversation.id, { includeDeleted: true });
    expect(path.map((message) => [message.content, message.included])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('carries a summary into a fork, standing for the copies of its originals', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'To fork' });
    const first = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'a',
    });
    const second = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'b',
    });
    const { summary } = await store.summaries.create(conversation.id, {
      role: 'user',
      author: 'human',
      editor: 'human',
      content: 'summary of a',
      summarizes: [first.id],
    });
    const fork = await store.fork(conversation.id, summary.id);
    const path = await store.messages.path(fork.id);
    expect(path.map((message) => [message.content, message.included])).toEqual([
      ['a', false],
      ['b', true],
      ['summary of a', true],
    ]);
    expect(path[2]?.summarizes).toEqual([path[0]?.id]);
    expect(path[2]?.sourceMessageId).toBe(summary.id);

    const elsewhere = await store.conversations.create({ title: 'Copy target' });
    const [alone] = await store.messages.copy(elsewhere.id, [summary.id]);
    expect(alone?.summarizes).toBeNull();
    expect(second.included).toBe(true);
  });
});
