import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { actingAs } from './acting-account.ts';
import { listModelCalls } from './model-call-list.ts';
import type { Store } from './store.ts';

async function conversationWithAnswer(store: Store, title = 'Review') {
  const conversation = await store.conversations.create({ title });
  const question = await store.messages.append(conversation.id, {
    role: 'user',
    author: 'human',
    content: 'list the files',
  });
  const answer = await store.messages.append(conversation.id, {
    role: 'assistant',
    author: 'model',
    content: 'ls -la',
  });
  return { conversation, question, answer };
}

describeEachEngine('labels', (engine) => {
  it('rating again replaces the rating and keeps the old one as history; the same rating changes nothing', async () => {
    const store = await engine.openStore();
    const { conversation, answer } = await conversationWithAnswer(store);
    const target = { kind: 'message' as const, id: answer.id };

    const first = await store.labels.rate(target, { value: 'bad', reason: 'deletes the wrong file' });
    expect(first).toMatchObject({
      conversationId: conversation.id,
      label: { name: 'rating', value: 'bad', reason: 'deletes the wrong file', deletedAt: null },
      removed: [],
    });
    const again = await store.labels.rate(target, { value: 'bad', reason: 'deletes the wrong file' });
    expect(again.label?.id).toBe(first.label?.id);
    expect(again.removed).toEqual([]);

    const changed = await store.labels.rate(target, { value: 'good' });
    expect(changed.label).toMatchObject({ value: 'good', reason: null });
    expect(changed.removed.map((label) => [label.id, label.deletedAt !== null])).toEqual([
      [first.label?.id, true],
    ]);

    expect(await store.labels.forConversation(conversation.id)).toEqual([
      {
        id: changed.label?.id,
        targetKind: 'message',
        targetId: answer.id,
        name: 'rating',
        value: 'good',
        reason: null,
        accountId: null,
        createdAt: changed.label?.createdAt,
      },
    ]);
    const history = await store.labels.list(conversation.id, { includeRemoved: true });
    expect(history.map((label) => [label.value, label.deletedAt === null])).toEqual([
      ['bad', false],
      ['good', true],
    ]);

    const cleared = await store.labels.unrate(target);
    expect(cleared.label).toBeNull();
    expect(cleared.removed.map((label) => label.value)).toEqual(['good']);
    expect(await store.labels.forConversation(conversation.id)).toEqual([]);
  });

  it("keeps each account's rating and note apart, while tags and the outcome are shared", async () => {
    const store = await engine.openStore();
    const { conversation, answer } = await conversationWithAnswer(store);
    const alice = await store.accounts.add({ username: 'alice', role: 'reviewer', passwordHash: 'x' });
    const bob = await store.accounts.add({ username: 'bob', role: 'member', passwordHash: 'x' });
    const target = { kind: 'message' as const, id: answer.id };

    await actingAs(alice.id, () => store.labels.rate(target, { value: 'good' }));
    await actingAs(bob.id, () => store.labels.rate(target, { value: 'bad', reason: 'unsafe' }));
    await actingAs(alice.id, () => store.labels.note(target, 'fine for a first try'));
    await actingAs(alice.id, () => store.labels.tag(target, 'shell'));
    // Bob tags it the same way: one tag, kept as Alice added it.
    const same = await actingAs(bob.id, () => store.labels.tag(target, 'shell'));
    expect(same.label?.accountId).toBe(alice.id);
    await actingAs(alice.id, () => store.labels.outcome(conversation.id, 'failed'));
    await actingAs(bob.id, () => store.labels.outcome(conversation.id, 'solved'));

    const current = await store.labels.forConversation(conversation.id);
    expect(current.map((label) => [label.name, label.value, label.reason, label.accountId])).toEqual([
      ['rating', 'good', null, alice.id],
      ['rating', 'bad', 'unsafe', bob.id],
      ['note', 'fine for a first try', null, alice.id],
      ['tag', 'shell', null, alice.id],
      ['outcome', 'solved', null, bob.id],
    ]);

    // Bob removes the shared tag; Alice's empty note removes her note.
    expect((await actingAs(bob.id, () => store.labels.untag(target, 'shell'))).removed).toHaveLength(1);
    await actingAs(alice.id, () => store.labels.note(target, '  '));
    await actingAs(alice.id, () => store.labels.outcome(conversation.id, null));
    expect((await store.labels.forConversation(conversation.id)).map((label) => label.name)).toEqual([
      'rating',
      'rating',
    ]);
  });

  it('rates proposals, tags conversations, and refuses a label where it does not belong or a target that is not there', async () => {
    const store = await engine.openStore();
    const { conversation, answer } = await conversationWithAnswer(store);
    const proposal = await store.proposals.create({
      conversationId: conversation.id,
      messageId: answer.id,
      position: 0,
      toolCallId: null,
      command: 'ls -la',
      timeoutSeconds: null,
    });
    const rated = await store.labels.rate({ kind: 'proposal', id: proposal.id }, { value: 'good' });
    expect(rated.conversationId).toBe(conversation.id);
    await store.labels.tag({ kind: 'conversation', id: conversation.id }, 'onboarding');

    await expect(
      store.labels.rate({ kind: 'conversation', id: conversation.id }, { value: 'good' }),
    ).rejects.toThrow(/a rating goes on a message or proposal, not on a conversation/);
    await expect(store.labels.outcome(answer.id, 'solved')).rejects.toThrow(/no conversation with id/);
    await expect(store.labels.tag({ kind: 'message', id: 'missing' }, 'x')).rejects.toThrow(
      /no message with id missing/,
    );
    expect(
      (await store.labels.forConversation(conversation.id)).map((label) => [label.targetKind, label.name]),
    ).toEqual([
      ['proposal', 'rating'],
      ['conversation', 'tag'],
    ]);
  });

  it('gives the labels of a version-10 store the conversation of their target when it migrates (version 11)', async () => {
    const old = await engine.openStore({ targetVersion: 10 });
    const { conversation, answer } = await conversationWithAnswer(old);
    const proposal = await old.proposals.create({
      conversationId: conversation.id,
      messageId: answer.id,
      position: 0,
      toolCallId: null,
      command: 'ls',
      timeoutSeconds: null,
    });
    const at = '2026-11-01T00:00:00.000Z';
    for (const [id, kind, target] of [
      ['l1', 'message', answer.id],
      ['l2', 'proposal', proposal.id],
      ['l3', 'conversation', conversation.id],
    ] as const) {
      await sql`INSERT INTO labels (id, target_kind, target_id, name, value, created_at)
        VALUES (${id}, ${kind}, ${target}, 'tag', 'old', ${at})`.execute(old.database.db);
    }
    await old.close();
    const store = await engine.openStore({ reopen: old });
    expect(
      (await store.labels.forConversation(conversation.id)).map((label) => [label.id, label.reason]),
    ).toEqual([
      ['l1', null],
      ['l2', null],
      ['l3', null],
    ]);
    expect(await store.conversations.list({ filters: { tags: ['old'] } })).toHaveLength(1);
  });

  it('refuses to delete a label row: removal is a tombstone', async () => {
    const store = await engine.openStore();
    const { answer } = await conversationWithAnswer(store);
    await store.labels.tag({ kind: 'message', id: answer.id }, 'keep');
    await expect(sql`DELETE FROM labels`.execute(store.database.db)).rejects.toThrow(/labels are tombstoned/);
  });

  it('filters the conversation list by tag, rating, outcome, model, date and the messages it contains', async () => {
    const store = await engine.openStore();
    const one = await conversationWithAnswer(store, 'one');
    const two = await conversationWithAnswer(store, 'two');
    const three = await conversationWithAnswer(store, 'three');
    await store.labels.tag({ kind: 'message', id: one.answer.id }, 'flaky');
    await store.labels.tag({ kind: 'conversation', id: two.conversation.id }, 'docs');
    await store.labels.rate({ kind: 'message', id: one.answer.id }, { value: 'bad' });
    await store.labels.rate({ kind: 'message', id: two.answer.id }, { value: 'good' });
    await store.labels.outcome(three.conversation.id, 'solved');
    // A tag removed no longer counts.
    await store.labels.tag({ kind: 'message', id: three.answer.id }, 'flaky');
    await store.labels.untag({ kind: 'message', id: three.answer.id }, 'flaky');
    await store.modelCalls.create({
      conversationId: two.conversation.id,
      provider: 'openai',
      model: 'gpt-test',
      request: '{}',
      status: 'error',
    });
    const fork = await store.fork(one.conversation.id, one.answer.id);

    const titles = async (filters: Parameters<typeof store.conversations.list>[0]) =>
      (await store.conversations.list(filters)).map((conversation) => conversation.title).sort();
    expect(await titles({ filters: { tags: ['flaky'] } })).toEqual(['one']);
    expect(await titles({ filters: { tags: ['flaky', 'docs'] } })).toEqual(['one', 'two']);
    expect(await titles({ filters: { ratings: ['bad'] } })).toEqual(['one']);
    expect(await titles({ filters: { ratings: ['good', 'bad'], tags: ['docs'] } })).toEqual(['two']);
    expect(await titles({ filters: { outcomes: ['solved', 'failed'] } })).toEqual(['three']);
    expect(await titles({ filters: { models: ['gpt-test'] } })).toEqual(['two']);
    expect(await titles({ filters: { since: '2000-01-01' } })).toHaveLength(4);
    expect(await titles({ filters: { since: '2999-01-01T00:00:00Z' } })).toEqual([]);
    // The fork holds copies of one's messages: selecting the copy finds the original, and the other way round.
    const [, forkAnswer] = await store.messages.path(fork.id);
    expect(await titles({ filters: { containing: [forkAnswer!.id] } })).toEqual(['one', 'one (fork)']);
    expect(await titles({ filters: { containing: [one.question.id, three.question.id] } })).toEqual([
      'one',
      'one (fork)',
      'three',
    ]);
    expect(await titles({ filters: {} })).toHaveLength(4);
  });

  it("lists a conversation's model calls oldest first, the ones that left no message included", async () => {
    const store = await engine.openStore();
    const { conversation, answer } = await conversationWithAnswer(store);
    const failed = await store.modelCalls.create({
      conversationId: conversation.id,
      provider: 'openai',
      model: 'gpt-test',
      request: '{}',
      status: 'error',
      error: 'rate limited',
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    const answered = await store.modelCalls.create({
      conversationId: conversation.id,
      messageId: answer.id,
      provider: 'legacy',
      model: 'gpt-3.5-turbo',
      request: '{}',
      usage: { prompt_tokens: 12, completion_tokens: 3 },
      status: 'completed',
      createdAt: '2026-12-01T10:01:00.000Z',
    });
    expect(await listModelCalls(store.database, conversation.id)).toMatchObject([
      { id: failed.id, messageId: null, status: 'error', error: 'rate limited', inputTokens: null },
      { id: answered.id, messageId: answer.id, model: 'gpt-3.5-turbo', inputTokens: 12, outputTokens: 3 },
    ]);
  });
});
