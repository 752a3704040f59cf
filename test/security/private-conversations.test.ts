/**
 * Issue 10 item 5: a member sees their own conversations and those shared with the team; another member's
 * private conversation does not exist for them, through any route. Pinned on both engines, with accounts
 * signed in as a browser is:
 * - every registered route whose `:id` reaches into a conversation (by its own id, a message's, a
 *   proposal's, an execution's or a model call's), walked from the server's own route list, answers 404 with
 *   the words an unknown id gets, and changes nothing;
 * - ids in a body (a copy's sources, a bulk delete, a fork's or branch's message) are refused alike;
 * - the list and search leave it out, and search filters before its LIMIT, so hidden hits cannot crowd a
 *   visible one off the page;
 * - the live-event stream carries none of its events;
 * - its owner and an admin still see it; only they may change who sees it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/api/events.ts';
import type { AccessTarget } from '../../src/store/conversation-access.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';

interface Private {
  conversation: string;
  message: string;
  proposal: string;
  execution: string;
  modelCall: string;
  checkpoint: string;
}

async function json<T>(response: Response, status = 200): Promise<T> {
  const body = (await response.json()) as T;
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A body each route accepts, so the answer is about the id and not about the body (400 comes first). */
function bodyFor(method: string, url: string, ids: Private & { carolsMessage: string }): unknown {
  if (method === 'GET' || method === 'DELETE') return undefined;
  const bodies: Record<string, unknown> = {
    'PATCH /api/conversations/:id': { title: 'taken' },
    'POST /api/conversations/:id/workspace/commit': { message: 'taken' },
    'POST /api/conversations/:id/summaries': { fromMessageId: ids.message, toMessageId: ids.message },
    'POST /api/conversations/:id/messages': { role: 'user', content: 'hello' },
    'POST /api/conversations/:id/fork': { messageId: ids.message },
    'POST /api/conversations/:id/copy': { messageIds: [ids.carolsMessage] },
    'POST /api/conversations/:id/select': { messageId: ids.message },
    'POST /api/conversations/:id/run': { command: 'true' },
    'PATCH /api/messages/:id': { content: 'changed' },
    // Review (issue 9 item 1).
    'PUT /api/messages/:id/rating': { value: 'bad' },
    'PUT /api/proposals/:id/rating': { value: 'bad' },
    'POST /api/messages/:id/tags': { tag: 'taken' },
    'POST /api/proposals/:id/tags': { tag: 'taken' },
    'POST /api/conversations/:id/tags': { tag: 'taken' },
    'PUT /api/messages/:id/note': { text: 'taken' },
    'PUT /api/proposals/:id/note': { text: 'taken' },
    'PUT /api/conversations/:id/note': { text: 'taken' },
    'PUT /api/conversations/:id/outcome': { outcome: 'failed' },
  };
  return bodies[`${method} ${url}`] ?? {};
}

/** A query each GET route that needs one accepts, for the same reason. */
const QUERIES: Record<string, string> = {
  'GET /api/conversations/:id/workspace/file': '?path=notes.txt',
};

const KIND_WORDS: Record<AccessTarget, string> = {
  conversation: 'conversation',
  message: 'message',
  proposal: 'proposal',
  execution: 'execution',
  'model-call': 'model call',
  checkpoint: 'checkpoint',
};

describeEachAppEngine('private conversations', (engine) => {
  let team: TeamApp;
  let alice: TeamClient;
  let carol: TeamClient;
  let bob: TeamClient;
  let root: TeamClient;
  let hidden: Private & { carolsMessage: string; carolsConversation: string; shared: string };

  beforeAll(async () => {
    team = await startTeamApp(engine);
    [alice, carol, bob, root] = await Promise.all([
      team.as('alice'),
      team.as('carol'),
      team.as('bob'),
      team.as('root'),
    ]);
    const conversation = await json<{ id: string; ownerAccountId: string }>(
      await alice.api('POST', '/api/conversations', { title: 'zebra plans' }),
      201,
    );
    expect(conversation.ownerAccountId).toBe(alice.account.id);
    await json(await alice.api('PATCH', `/api/conversations/${conversation.id}`, { visibility: 'private' }));
    // Only an admin may choose the host; commands there need no bwrap in this test.
    await json(await root.api('PATCH', `/api/conversations/${conversation.id}`, { sandbox: 'host' }));
    const message = await json<{ id: string }>(
      await alice.api('POST', `/api/conversations/${conversation.id}/messages`, {
        role: 'assistant',
        content: 'zebra secret\n\n```sh\necho private\n```',
      }),
      201,
    );
    // Adding an assistant message proposes its shell blocks (the terminal's hook).
    await team.t.app.terminal.whenIdle();
    const proposals = await json<{ proposals: { id: string }[] }>(
      await alice.api('GET', `/api/conversations/${conversation.id}/proposals`),
    );
    const execution = await json<{ id: string }>(
      await alice.api('POST', `/api/conversations/${conversation.id}/run`, { command: 'echo private' }),
    );
    const call = await team.t.app.store.modelCalls.create({
      conversationId: conversation.id,
      messageId: message.id,
      provider: 'openai',
      model: 'm',
      request: '{}',
      status: 'completed',
    });
    const checkpoint = await team.t.app.store.checkpoints.create({
      conversationId: conversation.id,
      executionId: execution.id,
      kind: 'step',
      workspace: '/nowhere',
      commit: '0'.repeat(40),
      parentCommit: null,
      restoredCheckpointId: null,
      changedFiles: 0,
      insertions: 0,
      deletions: 0,
      skipped: [],
    });
    const carols = await json<{ id: string }>(
      await carol.api('POST', '/api/conversations', { title: 'carol' }),
      201,
    );
    const carolsMessage = await json<{ id: string }>(
      await carol.api('POST', `/api/conversations/${carols.id}/messages`, { role: 'user', content: 'mine' }),
      201,
    );
    const shared = await json<{ id: string }>(
      await alice.api('POST', '/api/conversations', { title: 'zebra shared' }),
      201,
    );
    hidden = {
      conversation: conversation.id,
      message: message.id,
      proposal: proposals.proposals[0]!.id,
      execution: execution.id,
      modelCall: call.id,
      checkpoint: checkpoint.id,
      carolsMessage: carolsMessage.id,
      carolsConversation: carols.id,
      shared: shared.id,
    };
    await team.t.app.terminal.whenIdle();
  });
  afterAll(async () => {
    await team?.close();
  });

  const idOf = (target: AccessTarget): string =>
    ({
      conversation: hidden.conversation,
      message: hidden.message,
      proposal: hidden.proposal,
      execution: hidden.execution,
      'model-call': hidden.modelCall,
      checkpoint: hidden.checkpoint,
    })[target];

  it('answers 404, as for an unknown id, on every route that reaches it by id, and changes nothing', async () => {
    const routes = team.t.app.routes.filter((route) => route.target !== undefined && route.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(20);
    const before = await json<{ messages: unknown[]; title: string }>(
      await alice.api('GET', `/api/conversations/${hidden.conversation}`),
    );
    const leaked: string[] = [];
    for (const route of routes) {
      const id = idOf(route.target!);
      const path = route.url.replace(':id', id) + (QUERIES[`${route.method} ${route.url}`] ?? '');
      const answer = await carol.api(route.method, path, bodyFor(route.method, route.url, hidden));
      const body = (await answer.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      const expected = `no ${KIND_WORDS[route.target!]} with id ${id}`;
      if (answer.status !== 404 || body?.error?.message !== expected) {
        leaked.push(`${route.method} ${route.url} → ${answer.status} ${JSON.stringify(body)}`);
      }
    }
    expect(leaked).toEqual([]);
    const after = await json<{ messages: unknown[]; title: string }>(
      await alice.api('GET', `/api/conversations/${hidden.conversation}`),
    );
    expect(after).toEqual(before);
  });

  it('shows it to its owner and to an admin, by every kind of id', async () => {
    for (const client of [alice, root]) {
      for (const path of [
        `/api/conversations/${hidden.conversation}`,
        `/api/messages/${hidden.message}/revisions`,
        `/api/executions/${hidden.execution}`,
        `/api/messages/${hidden.message}/call`,
        `/api/conversations/${hidden.conversation}/proposals`,
      ]) {
        expect((await client.api('GET', path)).status, `${client.account.username} ${path}`).toBe(200);
      }
    }
  });

  it('refuses its message ids in a body or query: a copy’s sources, a bulk delete, a branch, a window', async () => {
    const copy = await carol.api('POST', `/api/conversations/${hidden.carolsConversation}/copy`, {
      messageIds: [hidden.carolsMessage, hidden.message],
    });
    expect(copy.status).toBe(404);
    expect(((await copy.json()) as { error: { message: string } }).error.message).toBe(
      `no message with id ${hidden.message}`,
    );
    expect((await carol.api('POST', '/api/messages/delete', { messageIds: [hidden.message] })).status).toBe(
      404,
    );
    expect((await carol.api('POST', '/api/messages/restore', { messageIds: [hidden.message] })).status).toBe(
      404,
    );
    const select = await carol.api('POST', `/api/conversations/${hidden.carolsConversation}/select`, {
      messageId: hidden.message,
    });
    expect(select.status).toBe(404);
    const reply = await carol.api('POST', `/api/conversations/${hidden.carolsConversation}/messages`, {
      role: 'user',
      content: 'under yours',
      parentId: hidden.message,
    });
    expect(reply.status).toBe(404);
    for (const query of [`before=${hidden.message}`, `through=${hidden.message}`]) {
      const window = await carol.api(
        'GET',
        `/api/conversations/${hidden.carolsConversation}/messages?${query}`,
      );
      expect(window.status, query).toBe(404);
    }
    const mine = await json<{ messages: { deleted: boolean }[] }>(
      await alice.api('GET', `/api/conversations/${hidden.conversation}`),
    );
    expect(mine.messages.every((message) => !message.deleted)).toBe(true);
  });

  it('leaves it out of the list and out of search, for a member and a reviewer', async () => {
    for (const client of [carol, bob]) {
      const list = await json<{ conversations: { id: string }[] }>(
        await client.api('GET', '/api/conversations'),
      );
      const ids = list.conversations.map((conversation) => conversation.id);
      expect(ids).not.toContain(hidden.conversation);
      expect(ids).toContain(hidden.shared);
      const found = await json<{ conversations: { id: string }[]; messages: { conversationId: string }[] }>(
        await client.api('GET', '/api/search?q=zebra'),
      );
      expect(found.conversations.map((conversation) => conversation.id)).toEqual([hidden.shared]);
      expect(found.messages.filter((message) => message.conversationId === hidden.conversation)).toEqual([]);
    }
    const owners = await json<{ conversations: { id: string }[] }>(
      await alice.api('GET', '/api/search?q=zebra'),
    );
    expect(owners.conversations.map((conversation) => conversation.id).sort()).toEqual(
      [hidden.conversation, hidden.shared].sort(),
    );
  });

  it('filters search before its limit: 60 hidden hits do not push the one visible hit off the page', async () => {
    const crowd = await json<{ id: string }>(
      await alice.api('POST', '/api/conversations', { title: 'crowd' }),
      201,
    );
    await json(await alice.api('PATCH', `/api/conversations/${crowd.id}`, { visibility: 'private' }));
    for (let index = 0; index < 60; index++) {
      await json(
        await alice.api('POST', `/api/conversations/${crowd.id}/messages`, {
          role: 'user',
          content: 'okapi okapi',
        }),
        201,
      );
    }
    const visible = await json<{ id: string }>(
      await alice.api('POST', `/api/conversations/${hidden.shared}/messages`, {
        role: 'user',
        content: 'an okapi seen once among many other words of a longer message that ranks lower',
      }),
      201,
    );
    const found = await json<{ messages: { id: string }[] }>(await carol.api('GET', '/api/search?q=okapi'));
    expect(found.messages.map((message) => message.id)).toEqual([visible.id]);
    const all = await json<{ messages: { id: string }[] }>(await alice.api('GET', '/api/search?q=okapi'));
    expect(all.messages).toHaveLength(50);
    expect(all.messages.map((message) => message.id)).not.toContain(visible.id);
  });

  it('sends none of its live events to another member, and all of them to an admin', async () => {
    const carols = await carol.liveEvents();
    const roots = await root.liveEvents();
    try {
      await json(
        await alice.api('POST', `/api/conversations/${hidden.conversation}/messages`, {
          role: 'user',
          content: 'a private line',
        }),
        201,
      );
      await json(
        await alice.api('PATCH', `/api/conversations/${hidden.conversation}`, { title: 'still private' }),
      );
      // Published after the private ones: once carol has it, she would have had them (events keep their order).
      const marker = await json<{ id: string }>(
        await alice.api('POST', `/api/conversations/${hidden.shared}/messages`, {
          role: 'user',
          content: 'shared line',
        }),
        201,
      );
      const isMarker = (event: LiveEvent) =>
        event.type === 'message-created' && event.message.id === marker.id;
      await carols.seen(isMarker);
      await roots.seen(isMarker);
      expect(carols.received.filter((event) => event.conversationId === hidden.conversation)).toEqual([]);
      expect(
        roots.received.filter((event) => event.conversationId === hidden.conversation).map((e) => e.type),
      ).toEqual(expect.arrayContaining(['message-created', 'conversation-updated']));
    } finally {
      await carols.close();
      await roots.close();
    }
  });

  it('stops sending a conversation’s events once its owner makes it private', async () => {
    const carols = await carol.liveEvents();
    try {
      const first = await json<{ id: string }>(
        await alice.api('POST', `/api/conversations/${hidden.shared}/messages`, {
          role: 'user',
          content: 'seen',
        }),
        201,
      );
      await carols.seen((event) => event.type === 'message-created' && event.message.id === first.id);
      const other = await json<{ id: string }>(
        await alice.api('POST', '/api/conversations', { title: 'marker' }),
        201,
      );
      await json(await alice.api('PATCH', `/api/conversations/${hidden.shared}`, { visibility: 'private' }));
      const after = await json<{ id: string }>(
        await alice.api('POST', `/api/conversations/${hidden.shared}/messages`, {
          role: 'user',
          content: 'unseen',
        }),
        201,
      );
      await json(await alice.api('PATCH', `/api/conversations/${other.id}`, { title: 'marker 2' }));
      await carols.seen(
        (event) => event.type === 'conversation-updated' && event.conversationId === other.id,
      );
      expect(
        carols.received.some((event) => event.type === 'message-created' && event.message.id === after.id),
      ).toBe(false);
      expect((await carol.api('GET', `/api/conversations/${hidden.shared}`)).status).toBe(404);
    } finally {
      await json(await alice.api('PATCH', `/api/conversations/${hidden.shared}`, { visibility: 'team' }));
      await carols.close();
    }
  });

  it('lets only its owner or an admin change who sees it', async () => {
    const shared = await carol.api('PATCH', `/api/conversations/${hidden.shared}`, { visibility: 'private' });
    expect(shared.status).toBe(403);
    expect(((await shared.json()) as { error: { code: string } }).error.code).toBe('forbidden_owner');
    // Someone else's private one stays a 404, not a 403: its existence does not leak.
    expect(
      (await carol.api('PATCH', `/api/conversations/${hidden.conversation}`, { visibility: 'team' })).status,
    ).toBe(404);
    await json(await root.api('PATCH', `/api/conversations/${hidden.shared}`, { visibility: 'private' }));
    expect((await carol.api('GET', `/api/conversations/${hidden.shared}`)).status).toBe(404);
    await json(await alice.api('PATCH', `/api/conversations/${hidden.shared}`, { visibility: 'team' }));
    expect((await carol.api('GET', `/api/conversations/${hidden.shared}`)).status).toBe(200);
  });

  it('keeps a fork of a private conversation private, owned by whoever forked it', async () => {
    const fork = await json<{ id: string; visibility: string; ownerAccountId: string }>(
      await root.api('POST', `/api/conversations/${hidden.conversation}/fork`, { messageId: hidden.message }),
      201,
    );
    expect(fork).toMatchObject({ visibility: 'private', ownerAccountId: root.account.id });
    expect((await carol.api('GET', `/api/conversations/${fork.id}`)).status).toBe(404);
  });

  it('counts a conversation made in token mode (no owner) as the team’s', async () => {
    const store = team.t.app.store;
    const made = await store.conversations.create({ title: 'from before accounts' });
    expect(made.ownerAccountId).toBeNull();
    await store.conversations.update(made.id, { visibility: 'private' });
    expect((await bob.api('GET', `/api/conversations/${made.id}`)).status).toBe(200);
  });
});
