import { afterEach, describe, expect, it } from 'vitest';
import {
  GenerationStartedSchema,
  ModelCallSchema,
  PreviewSchema,
  ProviderListSchema,
} from '../src/core/api/model-schemas.ts';
import { ConversationWithMessagesSchema, ErrorSchema, MessageSchema } from '../src/core/api/schemas.ts';
import { chunk, startOpenAiCompatibleServer, textStream } from './providers/support/openai-script.ts';
import { type Handler, SSE_HEADERS, sse, type WireServer } from './providers/support/wire-server.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { expectJson, type TestApp } from './support/test-app.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An OpenAI-compatible server that lists one model and answers chat with `answer` (a handler). */
async function scriptedModel(answer: Handler): Promise<WireServer> {
  const server = await startOpenAiCompatibleServer(answer);
  cleanups.push(() => server.close());
  return server;
}

async function conversationUsing(t: TestApp, server: WireServer) {
  const conversation = await expectJson(
    await t.api('POST', '/api/conversations', { title: 'Model' }),
    ConversationWithMessagesSchema,
    201,
  );
  await expectJson(
    await t.api('PATCH', `/api/conversations/${conversation.id}`, {
      provider: 'openai-compatible',
      baseUrl: `${server.url}/v1`,
      model: 'scripted',
    }),
    ConversationWithMessagesSchema,
    200,
  );
  return conversation.id;
}

async function readConversation(t: TestApp, id: string) {
  return expectJson(await t.api('GET', `/api/conversations/${id}`), ConversationWithMessagesSchema, 200);
}

describeEachAppEngine('model turns', (engine) => {
  async function app(): Promise<TestApp> {
    const t = await engine.startApp();
    cleanups.push(() => t.close());
    return t;
  }

  describe('sending to a model', () => {
    it('streams the answer into a new model message and records the exact request and raw response', async () => {
      const server = await scriptedModel(() => textStream('Hel', 'lo, ', 'world'));
      const t = await app();
      const id = await conversationUsing(t, server);
      await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, { role: 'system', content: 'Be brief.' }),
        MessageSchema,
        201,
      );
      const user = await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, {
          role: 'user',
          content: 'Say hello',
          send: true,
        }),
        MessageSchema,
        201,
      );
      expect(user.content).toBe('Say hello');
      await t.app.turns.whenIdle();

      const conversation = await readConversation(t, id);
      const answer = conversation.messages.at(-1)!;
      expect(answer).toMatchObject({
        role: 'assistant',
        author: 'model',
        content: 'Hello, world',
        status: 'complete',
        revision: 1,
      });
      expect(answer.modelCallId).not.toBeNull();

      const call = await expectJson(
        await t.api('GET', `/api/messages/${answer.id}/call`),
        ModelCallSchema,
        200,
      );
      const sent = server.requests.find((request) => request.path.endsWith('/chat/completions'))!;
      expect(call.request).toEqual(sent.body);
      expect(call).toMatchObject({
        provider: 'openai-compatible',
        model: 'scripted',
        status: 'completed',
        finishReason: 'stop',
      });
      expect(call.baseUrl).toBe(`${server.url}/v1`);
      expect(call.response).toContain('data: ');
      expect(call.usage).toMatchObject({ inputTokens: 21, outputTokens: 9 });
      expect(JSON.stringify(call)).not.toMatch(/authorization/i);
      expect((sent.body as { messages: unknown[] }).messages).toEqual([
        expect.objectContaining({ role: 'system', content: 'Be brief.' }),
        expect.objectContaining({ role: 'user', content: 'Say hello' }),
      ]);
    });

    it('keeps an unchecked message out of the preview and the request', async () => {
      const server = await scriptedModel(() => textStream('ok'));
      const t = await app();
      const id = await conversationUsing(t, server);
      const secret = await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'left out' }),
        MessageSchema,
        201,
      );
      await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'kept in' }),
        MessageSchema,
        201,
      );
      const before = await expectJson(
        await t.api('GET', `/api/conversations/${id}/preview`),
        PreviewSchema,
        200,
      );
      expect(JSON.stringify(before.request)).toContain('left out');
      await t.api('PATCH', `/api/messages/${secret.id}`, { included: false });
      const after = await expectJson(
        await t.api('GET', `/api/conversations/${id}/preview`),
        PreviewSchema,
        200,
      );
      expect(JSON.stringify(after.request)).not.toContain('left out');
      expect(JSON.stringify(after.request)).toContain('kept in');
      expect(after.tokens.tokens).toBeLessThan(before.tokens.tokens);
      expect(after.budget.fits).toBe(true);
    });

    it('stops a running answer and keeps what arrived, marked stopped', async () => {
      const server = await scriptedModel(() => ({
        headers: SSE_HEADERS,
        chunks: sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial ans' })], {
          done: false,
        }),
        after: 'hold',
      }));
      const t = await app();
      const id = await conversationUsing(t, server);
      await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go' });
      const started = await expectJson(
        await t.api('POST', `/api/conversations/${id}/generate`, {}),
        GenerationStartedSchema,
        202,
      );
      // Wait until the draft holds the streamed text (persisted at least every half second).
      for (let i = 0; i < 200; i++) {
        const draft = (await readConversation(t, id)).messages.at(-1)!;
        if (draft.content === 'partial ans') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await readConversation(t, id)).messages.at(-1)).toMatchObject({
        content: 'partial ans',
        status: 'streaming',
      });
      const stopped = await expectJson(
        await t.api('POST', `/api/model-calls/${started.modelCallId}/stop`),
        ModelCallSchema,
        200,
      );
      expect(stopped.status).toBe('stopped');
      const message = (await readConversation(t, id)).messages.at(-1)!;
      expect(message).toMatchObject({
        id: started.messageId,
        content: 'partial ans',
        status: 'stopped',
        revision: 1,
      });
    });

    it('regenerates as a sibling answer and switches between siblings', async () => {
      let count = 0;
      const server = await scriptedModel(() => textStream(`answer ${++count}`));
      const t = await app();
      const id = await conversationUsing(t, server);
      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'user',
        content: 'question',
        send: true,
      });
      await t.app.turns.whenIdle();
      const first = (await readConversation(t, id)).messages.at(-1)!;
      await expectJson(
        await t.api('POST', `/api/conversations/${id}/generate`, { regenerate: first.id }),
        GenerationStartedSchema,
        202,
      );
      await t.app.turns.whenIdle();
      const after = await readConversation(t, id);
      const second = after.messages.at(-1)!;
      expect(second.content).toBe('answer 2');
      expect(second.siblingIds).toEqual([first.id, second.id]);
      expect(after.messages.map((m) => m.content)).toEqual(['question', 'answer 2']);
      const back = await expectJson(
        await t.api('POST', `/api/conversations/${id}/select`, { messageId: first.id }),
        ConversationWithMessagesSchema,
        200,
      );
      expect(back.messages.at(-1)!.content).toBe('answer 1');
    });

    it('refuses to send without a model, adding nothing, with a message saying how to connect one', async () => {
      const t = await app();
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', {}),
        ConversationWithMessagesSchema,
        201,
      );
      const refused = await expectJson(
        await t.api('POST', `/api/conversations/${conversation.id}/messages`, {
          role: 'user',
          content: 'hi',
          send: true,
        }),
        ErrorSchema,
        409,
      );
      expect(refused.error.message).toMatch(/OPENAI_API_KEY/);
      expect((await readConversation(t, conversation.id)).messages).toHaveLength(0);
    });

    it('shows a provider error on the message and the call, keeping the partial answer', async () => {
      const server = await scriptedModel(() => ({
        headers: SSE_HEADERS,
        chunks: sse([chunk({ role: 'assistant', content: '' }), chunk({ content: 'half' })], { done: false }),
        after: 'destroy',
      }));
      const t = await app();
      const id = await conversationUsing(t, server);
      await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go', send: true });
      await t.app.turns.whenIdle();
      const message = (await readConversation(t, id)).messages.at(-1)!;
      expect(message).toMatchObject({ content: 'half', status: 'error' });
      const call = await expectJson(
        await t.api('GET', `/api/messages/${message.id}/call`),
        ModelCallSchema,
        200,
      );
      expect(call.status).toBe('error');
      expect(call.error).toBeTruthy();
    });
  });

  describe('after a crash', () => {
    it('marks an answer left streaming as an error, keeping what was persisted', async () => {
      const t = await app();
      const store = t.app.store;
      const conversation = await store.conversations.create({ title: 'crashed' });
      const message = await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        status: 'streaming',
      });
      await store.messages.updateDraft(message.id, { content: 'half an ans' });
      const call = await store.modelCalls.create({
        conversationId: conversation.id,
        messageId: message.id,
        provider: 'openai',
        model: 'm',
        request: '{}',
      });
      // Left by a server process that is gone: a live one's running call is its own (issue 10 item 4).
      await store.engine.db
        .updateTable('model_calls')
        .set({ server_process: 'gone-host:1:gone' })
        .where('id', '=', call.id)
        .execute();
      await t.app.turns.recoverAfterCrash();
      expect(await store.messages.get(message.id)).toMatchObject({
        content: 'half an ans',
        status: 'error',
        revision: 1,
      });
      expect(await store.messages.revisions(message.id)).toMatchObject([
        { content: 'half an ans', editor: 'model' },
      ]);
      expect(await store.modelCalls.get(call.id)).toMatchObject({
        status: 'error',
        error: expect.stringMatching(/server stopped/),
      });
    });
  });

  describe('without a model', () => {
    it('still previews what would be sent and counts it (an estimate)', async () => {
      const t = await app();
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', {}),
        ConversationWithMessagesSchema,
        201,
      );
      await t.api('POST', `/api/conversations/${conversation.id}/messages`, {
        role: 'user',
        content: 'count me',
      });
      const preview = await expectJson(
        await t.api('GET', `/api/conversations/${conversation.id}/preview`),
        PreviewSchema,
        200,
      );
      expect(preview).toMatchObject({ provider: 'human', tokens: { exact: false } });
      expect(preview.tokens.tokens).toBeGreaterThan(0);
    });
  });

  describe('the provider list', () => {
    it('still answers after a conversation used its own OpenAI-compatible base URL', async () => {
      const server = await scriptedModel(() => textStream('ok'));
      const t = await app();
      const id = await conversationUsing(t, server);
      await expectJson(await t.api('GET', `/api/conversations/${id}/preview`), PreviewSchema, 200);
      const list = await expectJson(await t.api('GET', '/api/providers'), ProviderListSchema, 200);
      expect(list.providers.map((provider) => provider.id)).toEqual([
        'openai',
        'anthropic',
        'ollama',
        'llama-cpp',
        'human',
      ]);
    });
  });
});
