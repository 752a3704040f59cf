import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationListSchema,
  ConversationWithMessagesSchema,
  ErrorSchema,
  MessageListSchema,
  MessageSchema,
  RevisionListSchema,
  SearchResultSchema,
} from '../src/core/api/schemas.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { openLiveEvents } from './support/live-events.ts';
import { expectJson, rawRequest, type TestApp } from './support/test-app.ts';

// One app per engine; the suites below run on each in turn (SQLite's closes before PostgreSQL's starts).
let t: TestApp;

async function newConversation(title = 'Test') {
  return expectJson(
    await t.api('POST', '/api/conversations', { title }),
    ConversationWithMessagesSchema,
    201,
  );
}

async function addMessage(conversationId: string, body: Record<string, unknown>) {
  return expectJson(
    await t.api('POST', `/api/conversations/${conversationId}/messages`, body),
    MessageSchema,
    201,
  );
}

describeEachAppEngine('API', (engine) => {
  beforeAll(async () => {
    t = await engine.startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('conversations', () => {
    it('creates, lists newest first, reads, updates, deletes and restores', async () => {
      const first = await newConversation('First');
      const second = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'Second', description: 'about vectors' }),
        ConversationWithMessagesSchema,
        201,
      );
      const list = await expectJson(await t.api('GET', '/api/conversations'), ConversationListSchema);
      const ids = list.conversations.map((c) => c.id);
      expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
      expect(list.conversations.find((c) => c.id === second.id)).toMatchObject({
        title: 'Second',
        description: 'about vectors',
        messageCount: 0,
      });

      const updated = await expectJson(
        await t.api('PATCH', `/api/conversations/${first.id}`, {
          title: 'Renamed',
          startupScript: 'cd /work',
        }),
        ConversationWithMessagesSchema,
      );
      expect(updated).toMatchObject({ title: 'Renamed', startupScript: 'cd /work', messages: [] });
      const tuned = await expectJson(
        await t.api('PATCH', `/api/conversations/${first.id}`, {
          provider: 'ollama',
          model: 'qwen3:8b',
          temperature: 0.2,
        }),
        ConversationWithMessagesSchema,
      );
      expect(tuned).toMatchObject({
        title: 'Renamed',
        settings: { provider: 'ollama', model: 'qwen3:8b', temperature: 0.2 },
      });

      expect((await t.api('DELETE', `/api/conversations/${first.id}`)).status).toBe(204);
      expect((await t.api('GET', `/api/conversations/${first.id}`)).status).toBe(404);
      const afterDelete = await expectJson(await t.api('GET', '/api/conversations'), ConversationListSchema);
      expect(afterDelete.conversations.map((c) => c.id)).not.toContain(first.id);
      await expectJson(
        await t.api('POST', `/api/conversations/${first.id}/restore`),
        ConversationWithMessagesSchema,
      );
      expect((await t.api('GET', `/api/conversations/${first.id}`)).status).toBe(200);
    });

    it('answers bad bodies with 400 naming the field, and unknown ids with 404', async () => {
      const badTitle = await expectJson(
        await t.api('POST', '/api/conversations', { title: 42 }),
        ErrorSchema,
        400,
      );
      expect(badTitle.error.field).toBe('title');
      const unknown = await expectJson(
        await t.api('POST', '/api/conversations', { colour: 'red' }),
        ErrorSchema,
        400,
      );
      expect(unknown.error.field).toBe('colour');
      const empty = await expectJson(await t.api('PATCH', '/api/conversations/x', {}), ErrorSchema, 400);
      expect(empty.error.message).toMatch(/nothing to change/);
      const conversation = await newConversation();
      const badRole = await expectJson(
        await t.api('POST', `/api/conversations/${conversation.id}/messages`, {
          role: 'wizard',
          content: 'x',
        }),
        ErrorSchema,
        400,
      );
      expect(badRole.error.field).toBe('role');
      const notJson = await fetch(`${t.baseUrl}/api/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(notJson.status).toBe(400);
      await expectJson(await t.api('GET', '/api/conversations/does-not-exist'), ErrorSchema, 404);
      await expectJson(
        await t.api('PATCH', '/api/messages/does-not-exist', { content: 'x' }),
        ErrorSchema,
        404,
      );
      await expectJson(await t.api('GET', '/api/nothing-here'), ErrorSchema, 404);
      // The server is still fine.
      expect((await t.api('GET', '/api/conversations')).status).toBe(200);
    });
  });

  describe('messages', () => {
    it('appends in any role with default and custom authors, along the current path', async () => {
      const conversation = await newConversation();
      const system = await addMessage(conversation.id, { role: 'system', content: 'You are a programmer.' });
      const user = await addMessage(conversation.id, { role: 'user', content: 'List files.' });
      const assistant = await addMessage(conversation.id, { role: 'assistant', content: 'ls' });
      const terminal = await addMessage(conversation.id, {
        role: 'user',
        author: 'terminal',
        content: 'a.txt',
      });
      const custom = await addMessage(conversation.id, {
        role: 'user',
        author: 'Reviewer',
        content: 'ok',
        included: false,
      });
      expect([system.author, user.author, assistant.author, terminal.author, custom.author]).toEqual([
        'human',
        'human',
        'human',
        'terminal',
        'Reviewer',
      ]);
      expect(custom.included).toBe(false);
      expect(user.parentId).toBe(system.id);
      const read = await expectJson(
        await t.api('GET', `/api/conversations/${conversation.id}`),
        ConversationWithMessagesSchema,
      );
      expect(read.messages.map((m) => m.id)).toEqual([
        system.id,
        user.id,
        assistant.id,
        terminal.id,
        custom.id,
      ]);
      expect(read.messages[0]).toMatchObject({
        revision: 1,
        deleted: false,
        conversationId: conversation.id,
      });
      expect(read.messages[0]!.tokenCount).toBeGreaterThan(0);
    });

    it('edits as revisions, toggles inclusion, deletes and restores', async () => {
      const conversation = await newConversation();
      const message = await addMessage(conversation.id, { role: 'user', content: 'first' });
      const edited = await expectJson(
        await t.api('PATCH', `/api/messages/${message.id}`, { content: 'second' }),
        MessageSchema,
      );
      expect(edited).toMatchObject({ content: 'second', revision: 2 });
      const revisions = await expectJson(
        await t.api('GET', `/api/messages/${message.id}/revisions`),
        RevisionListSchema,
      );
      expect(revisions.revisions.map((r) => [r.number, r.content, r.editor])).toEqual([
        [1, 'first', 'human'],
        [2, 'second', 'human'],
      ]);
      const unchecked = await expectJson(
        await t.api('PATCH', `/api/messages/${message.id}`, { included: false }),
        MessageSchema,
      );
      expect(unchecked).toMatchObject({ included: false, revision: 2 });

      const deleted = await expectJson(await t.api('DELETE', `/api/messages/${message.id}`), MessageSchema);
      expect(deleted.deleted).toBe(true);
      const hidden = await expectJson(
        await t.api('GET', `/api/conversations/${conversation.id}`),
        ConversationWithMessagesSchema,
      );
      expect(hidden.messages).toHaveLength(0);
      const withDeleted = await expectJson(
        await t.api('GET', `/api/conversations/${conversation.id}?includeDeleted=true`),
        ConversationWithMessagesSchema,
      );
      expect(withDeleted.messages.map((m) => m.deleted)).toEqual([true]);
      await expectJson(
        await t.api('PATCH', `/api/messages/${message.id}`, { content: 'x' }),
        ErrorSchema,
        409,
      );
      const restored = await expectJson(
        await t.api('POST', `/api/messages/${message.id}/restore`),
        MessageSchema,
      );
      expect(restored.deleted).toBe(false);
    });

    it('deletes and restores several messages in one action', async () => {
      const conversation = await newConversation();
      const a = await addMessage(conversation.id, { role: 'user', content: 'a' });
      const b = await addMessage(conversation.id, { role: 'user', content: 'b' });
      const deleted = await expectJson(
        await t.api('POST', '/api/messages/delete', { messageIds: [a.id, b.id] }),
        MessageListSchema,
      );
      expect(deleted.messages.map((m) => m.deleted)).toEqual([true, true]);
      await expectJson(
        await t.api('POST', '/api/messages/restore', { messageIds: [a.id, b.id] }),
        MessageListSchema,
      );
      const read = await expectJson(
        await t.api('GET', `/api/conversations/${conversation.id}`),
        ConversationWithMessagesSchema,
      );
      expect(read.messages).toHaveLength(2);
    });

    it('forks, copies between conversations, and switches branches', async () => {
      const source = await newConversation('Source');
      const a = await addMessage(source.id, { role: 'system', content: 'sys' });
      const b = await addMessage(source.id, { role: 'user', content: 'question' });
      await addMessage(source.id, { role: 'assistant', content: 'answer' });

      const fork = await expectJson(
        await t.api('POST', `/api/conversations/${source.id}/fork`, { messageId: b.id }),
        ConversationWithMessagesSchema,
        201,
      );
      expect(fork.id).not.toBe(source.id);
      expect(fork.messages.map((m) => [m.content, m.sourceMessageId])).toEqual([
        ['sys', a.id],
        ['question', b.id],
      ]);

      const target = await newConversation('Target');
      const copied = await expectJson(
        await t.api('POST', `/api/conversations/${target.id}/copy`, { messageIds: [b.id, a.id] }),
        MessageListSchema,
        201,
      );
      expect(copied.messages.map((m) => m.sourceMessageId)).toEqual([b.id, a.id]);

      const sibling = await addMessage(source.id, {
        role: 'assistant',
        content: 'other answer',
        parentId: b.id,
      });
      expect(sibling.siblingIds).toHaveLength(2);
      const switched = await expectJson(
        await t.api('POST', `/api/conversations/${source.id}/select`, { messageId: sibling.siblingIds[0] }),
        ConversationWithMessagesSchema,
      );
      expect(switched.messages.at(-1)!.content).toBe('answer');
    });

    it('searches message content and titles', async () => {
      const conversation = await newConversation('Quaternion work');
      await addMessage(conversation.id, { role: 'user', content: 'implement slerp interpolation' });
      const result = await expectJson(await t.api('GET', '/api/search?q=slerp'), SearchResultSchema);
      expect(result.messages.map((m) => m.conversationId)).toEqual([conversation.id]);
      const byTitle = await expectJson(await t.api('GET', '/api/search?q=quatern'), SearchResultSchema);
      expect(byTitle.conversations.map((c) => c.id)).toContain(conversation.id);
      await expectJson(await t.api('GET', '/api/search?q='), ErrorSchema, 400);
    });
  });

  describe('security', () => {
    it('needs the token on every /api route but health', async () => {
      const health = await fetch(`${t.baseUrl}/api/health`);
      expect(health.status).toBe(200);
      for (const [method, path] of [
        ['GET', '/api/conversations'],
        ['POST', '/api/conversations'],
        ['GET', '/api/openapi.json'],
        ['GET', '/api/events'],
        ['GET', '/api/search?q=x'],
      ] as const) {
        const response = await fetch(`${t.baseUrl}${path}`, { method });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(ErrorSchema.parse(await response.json()).error.code).toBe('unauthorized');
      }
      const wrong = await fetch(`${t.baseUrl}/api/conversations`, {
        headers: { authorization: 'Bearer wrong' },
      });
      expect(wrong.status).toBe(401);
    });

    it('refuses a Host that is not a loopback name with our port (DNS rebinding)', async () => {
      const headers = (host: string) => ({ host, authorization: `Bearer ${t.token}` });
      for (const host of [
        'evil.example',
        `evil.example:${t.app.port}`,
        '127.0.0.1:1',
        `localhost.evil.example:${t.app.port}`,
      ]) {
        const response = await rawRequest(t.app.port, { path: '/api/conversations', headers: headers(host) });
        expect(response.status, host).toBe(403);
        expect(response.body).toContain('forbidden_host');
      }
      for (const host of [`localhost:${t.app.port}`, `127.0.0.1:${t.app.port}`, `[::1]:${t.app.port}`]) {
        const response = await rawRequest(t.app.port, { path: '/api/conversations', headers: headers(host) });
        expect(response.status, host).toBe(200);
      }
    });

    it('refuses a cross-site Origin on state-changing requests and the event stream', async () => {
      const crossSite = await t.api('POST', '/api/conversations', {}, { origin: 'http://evil.example' });
      expect(crossSite.status).toBe(403);
      const otherPort = await t.api('POST', '/api/conversations', {}, { origin: 'http://127.0.0.1:1' });
      expect(otherPort.status).toBe(403);
      const events = await t.api('GET', '/api/events', undefined, { origin: 'http://evil.example' });
      expect(events.status).toBe(403);
      const sameOrigin = await t.api('POST', '/api/conversations', {}, { origin: t.baseUrl });
      expect(sameOrigin.status).toBe(201);
      // A cross-site read without side effects is harmless; there is no CORS, so the browser hides the answer.
      const read = await t.api('GET', '/api/conversations', undefined, { origin: 'http://evil.example' });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends a strict CSP and no CORS headers', async () => {
      const response = await fetch(`${t.baseUrl}/`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      const preflight = await fetch(`${t.baseUrl}/api/conversations`, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('OpenAPI and live events', () => {
    it('serves an OpenAPI document covering the routes', async () => {
      const document = (await (await t.api('GET', '/api/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: unknown }>>;
      };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/api/conversations',
          '/api/conversations/{id}',
          '/api/conversations/{id}/messages',
          '/api/messages/{id}',
          '/api/messages/{id}/revisions',
          '/api/conversations/{id}/fork',
          '/api/conversations/{id}/copy',
          '/api/search',
        ]),
      );
      expect(document.paths['/api/conversations/{id}/messages']!.post!.requestBody).toBeDefined();
    });

    it('streams every change as a live event', async () => {
      const events = await openLiveEvents(t);
      try {
        const conversation = await newConversation('Live');
        await addMessage(conversation.id, { role: 'user', content: 'hello' });
        expect(await events.seen((event) => event.type === 'message-created')).toMatchObject({
          conversationId: conversation.id,
          message: { content: 'hello' },
        });
        expect(events.received.slice(0, 2)).toMatchObject([
          { type: 'conversation-created', conversationId: conversation.id },
          { type: 'message-created', conversationId: conversation.id, message: { content: 'hello' } },
        ]);
      } finally {
        await events.close();
      }
    });
  });
});
