/**
 * Review over the API (issue 9 item 1), on both engines, on a team server: a reviewer rates a member's model
 * message (bad, with a reason), tags it, notes it and sets the conversation's outcome; the member sees each
 * change live and in the labels; the sidebar's filters find the conversation by them; a conversation's model
 * calls are listed, the one that left no message included; and a private conversation's labels stay hidden.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveEvent } from '../src/core/api/events.ts';
import type { LabelChange, LabelDto, ModelCallListItem } from '../src/core/api/review-schemas.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from './support/team-app.ts';

async function json<T>(response: Response, status = 200): Promise<T> {
  const body = (await response.json()) as T;
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

describeEachAppEngine('review', (engine) => {
  let team: TeamApp;
  let alice: TeamClient;
  let bob: TeamClient;
  let carol: TeamClient;
  let conversationId: string;
  let answerId: string;

  beforeAll(async () => {
    team = await startTeamApp(engine);
    [alice, bob, carol] = await Promise.all([team.as('alice'), team.as('bob'), team.as('carol')]);
    const conversation = await json<{ id: string }>(
      await alice.api('POST', '/api/conversations', { title: 'fix the parser' }),
      201,
    );
    conversationId = conversation.id;
    await json(
      await alice.api('POST', `/api/conversations/${conversationId}/messages`, {
        role: 'user',
        content: 'fix it',
      }),
      201,
    );
    answerId = (
      await json<{ id: string }>(
        await alice.api('POST', `/api/conversations/${conversationId}/messages`, {
          role: 'assistant',
          author: 'model',
          content: 'Delete the tests, then they pass.',
        }),
        201,
      )
    ).id;
    await json(await alice.api('POST', '/api/conversations', { title: 'unrelated' }), 201);
  });
  afterAll(async () => {
    await team?.close();
  });

  it('lets a reviewer rate, tag, note and set the outcome; the owner sees each change live', async () => {
    const events = await alice.liveEvents();
    try {
      const rated = await json<LabelChange>(
        await bob.api('PUT', `/api/messages/${answerId}/rating`, {
          value: 'bad',
          reason: 'deletes the tests',
        }),
      );
      expect(rated).toMatchObject({
        conversationId,
        changed: true,
        label: { name: 'rating', value: 'bad', reason: 'deletes the tests', accountId: bob.account.id },
      });
      const seen = await events.seen(
        (event): event is Extract<LiveEvent, { type: 'label-changed' }> =>
          event.type === 'label-changed' && event.label?.id === rated.label?.id,
      );
      expect(seen.conversationId).toBe(conversationId);

      await json(await bob.api('POST', `/api/messages/${answerId}/tags`, { tag: 'reward-hacking' }));
      await json(await bob.api('PUT', `/api/messages/${answerId}/note`, { text: 'classic' }));
      const outcome = await json<LabelChange>(
        await bob.api('PUT', `/api/conversations/${conversationId}/outcome`, { outcome: 'failed' }),
      );
      await events.seen((event) => event.type === 'label-changed' && event.label?.id === outcome.label?.id);
    } finally {
      await events.close();
    }

    const { labels } = await json<{ labels: LabelDto[] }>(
      await alice.api('GET', `/api/conversations/${conversationId}/labels`),
    );
    expect(labels.map((label) => [label.targetKind, label.name, label.value, label.reason])).toEqual([
      ['message', 'rating', 'bad', 'deletes the tests'],
      ['message', 'tag', 'reward-hacking', null],
      ['message', 'note', 'classic', null],
      ['conversation', 'outcome', 'failed', null],
    ]);
    // Alice's own rating sits beside Bob's; Bob rating again replaces only his.
    await json(await alice.api('PUT', `/api/messages/${answerId}/rating`, { value: 'good' }));
    await json(await bob.api('PUT', `/api/messages/${answerId}/rating`, { value: 'bad', reason: 'cheats' }));
    const after = await json<{ labels: LabelDto[] }>(
      await bob.api('GET', `/api/conversations/${conversationId}/labels?includeRemoved=true`),
    );
    const ratings = after.labels.filter((label) => label.name === 'rating');
    expect(
      ratings.map((label) => [label.accountId, label.value, label.reason, label.deletedAt === null]),
    ).toEqual([
      [bob.account.id, 'bad', 'deletes the tests', false],
      [alice.account.id, 'good', null, true],
      [bob.account.id, 'bad', 'cheats', true],
    ]);
  });

  it('filters the conversation list by tag, rating, outcome, model and date', async () => {
    const titles = async (query: string) =>
      (
        await json<{ conversations: { title: string }[] }>(
          await alice.api('GET', `/api/conversations?${query}`),
        )
      ).conversations.map((conversation) => conversation.title);
    await json(await bob.api('PUT', `/api/messages/${answerId}/rating`, { value: 'bad' }));
    await json(await bob.api('POST', `/api/messages/${answerId}/tags`, { tag: 'reward-hacking' }));
    expect(await titles('')).toEqual(['unrelated', 'fix the parser']);
    expect(await titles('tag=reward-hacking')).toEqual(['fix the parser']);
    expect(await titles('tag=nothing,reward-hacking&rating=bad')).toEqual(['fix the parser']);
    expect(await titles('rating=good&rating=bad&outcome=solved')).toEqual([]);
    expect(await titles('since=2999-01-01')).toEqual([]);
    expect(await titles(`containing=${answerId}`)).toEqual(['fix the parser']);
    const refused = await alice.api('GET', '/api/conversations?rating=great');
    expect(refused.status).toBe(400);
  });

  it("lists a conversation's model calls, the ones that produced no message included", async () => {
    const store = team.t.app.store;
    const lost = await store.modelCalls.create({
      conversationId,
      provider: 'legacy',
      model: 'gpt-3.5-turbo',
      request: '{}',
      status: 'error',
      error: 'no answer kept',
    });
    const { modelCalls } = await json<{ modelCalls: ModelCallListItem[] }>(
      await bob.api('GET', `/api/conversations/${conversationId}/model-calls`),
    );
    expect(modelCalls.map((call) => [call.id, call.messageId, call.status])).toEqual([
      [lost.id, null, 'error'],
    ]);
    const models = await json<{ conversations: { title: string }[] }>(
      await alice.api('GET', '/api/conversations?model=gpt-3.5-turbo'),
    );
    expect(models.conversations.map((conversation) => conversation.title)).toEqual(['fix the parser']);
  });

  it("refuses labels where they do not belong, and hides a private conversation's labels", async () => {
    const wrong = await bob.api('PUT', `/api/messages/${answerId}/rating`, { value: 'great' });
    expect(wrong.status).toBe(400);
    const mine = await json<{ id: string }>(
      await carol.api('POST', '/api/conversations', { title: 'carol private' }),
      201,
    );
    await json(await carol.api('PATCH', `/api/conversations/${mine.id}`, { visibility: 'private' }));
    await json(await carol.api('POST', `/api/conversations/${mine.id}/tags`, { tag: 'secret' }));
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${mine.id}/labels`, undefined],
      ['POST', `/api/conversations/${mine.id}/tags`, { tag: 'x' }],
      ['PUT', `/api/conversations/${mine.id}/outcome`, { outcome: 'solved' }],
    ] as const) {
      expect((await bob.api(method, path, body)).status).toBe(404);
    }
    const tagged = await json<{ conversations: { title: string }[] }>(
      await bob.api('GET', '/api/conversations?tag=secret'),
    );
    expect(tagged.conversations).toEqual([]);
  });
});
