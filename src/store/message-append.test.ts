import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';

describeEachEngine('an append’s siblings', (engine) => {
  it('under a leaf with no children: only itself', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'siblings' });
    await store.messages.append(conversation.id, { role: 'user', author: 'human', content: 'first' });
    const second = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'second',
    });
    expect(second.siblingIds).toEqual([second.id]);
  });

  // The head read says whether the leaf has children, so the usual append skips the sibling lookup: these
  // pin that a leaf with children still gets it.
  it('under a leaf that already has a child (added without moving the leaf): that child, then itself', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'siblings' });
    const leaf = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'q',
    });
    const aside = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'an answer kept aside',
      makeCurrent: false,
    });
    const added = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'the answer',
    });
    expect(added.parentId).toBe(leaf.id);
    expect(added.siblingIds).toEqual([aside.id, added.id]);
    expect((await store.messages.get(aside.id)).siblingIds).toEqual([aside.id, added.id]);
  });

  it('under a leaf whose only child is deleted: only itself', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'siblings' });
    await store.messages.append(conversation.id, { role: 'user', author: 'human', content: 'q' });
    const aside = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'deleted later',
      makeCurrent: false,
    });
    await store.messages.delete([aside.id]);
    const added = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'the answer',
    });
    expect(added.siblingIds).toEqual([added.id]);
  });
});
