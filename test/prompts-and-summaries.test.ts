/**
 * Issue 8 item 7 through the HTTP API on both engines: the prompt library, the default system prompt a new
 * conversation starts with, and summaries (drafted by a scripted model whose call is recorded, or written by
 * the person) that stand in for their originals in the next request, and undo.
 */
import { afterEach, expect, it } from 'vitest';
import { ModelCallSchema } from '../src/core/api/model-schemas.ts';
import { PromptListSchema, PromptSchema, SummaryResultSchema } from '../src/core/api/prompt-schemas.ts';
import { ConversationWithMessagesSchema, MessageSchema } from '../src/core/api/schemas.ts';
import { DEFAULT_SYSTEM_PROMPT } from '../src/core/context/default-system-prompt.ts';
import { SUMMARY_INSTRUCTION } from '../src/core/context/summary-request.ts';
import { startOpenAiCompatibleServer, textStream } from './providers/support/openai-script.ts';
import type { RecordedRequest, WireServer } from './providers/support/wire-server.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { expectJson, type TestApp } from './support/test-app.ts';

type ChatMessage = { role: string; content: string };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Answers a summary request with a summary, and anything else with "ok". */
async function summarizingModel(): Promise<WireServer> {
  const server = await startOpenAiCompatibleServer((request: RecordedRequest) => {
    const last = (request.body as { messages: ChatMessage[] }).messages.at(-1);
    return last?.content === SUMMARY_INSTRUCTION
      ? textStream('Summary of earlier work: ', 'listed the files.')
      : textStream('ok');
  });
  cleanups.push(() => server.close());
  return server;
}

function chats(server: WireServer): ChatMessage[][] {
  return server.requests
    .filter((request) => request.path.endsWith('/chat/completions'))
    .map((request) => (request.body as { messages: ChatMessage[] }).messages);
}

describeEachAppEngine('prompts and summaries', (engine) => {
  async function app(): Promise<TestApp> {
    const t = await engine.startApp();
    cleanups.push(() => t.close());
    return t;
  }

  async function conversation(t: TestApp, body: Record<string, unknown>, server?: WireServer) {
    const created = await expectJson(
      await t.api('POST', '/api/conversations', body),
      ConversationWithMessagesSchema,
      201,
    );
    if (server !== undefined) {
      await t.api('PATCH', `/api/conversations/${created.id}`, {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
      });
    }
    return created;
  }

  async function add(t: TestApp, id: string, body: Record<string, unknown>) {
    return expectJson(await t.api('POST', `/api/conversations/${id}/messages`, body), MessageSchema, 201);
  }

  it('keeps a prompt library: add, list by name beside the default, edit, and delete as a tombstone', async () => {
    const t = await app();
    const added = await expectJson(
      await t.api('POST', '/api/prompts', { name: 'Terse', content: 'Answer in one line.' }),
      PromptSchema,
      201,
    );
    const edited = await expectJson(
      await t.api('PATCH', `/api/prompts/${added.id}`, { content: 'Answer in two lines.' }),
      PromptSchema,
    );
    expect(edited).toMatchObject({ name: 'Terse', content: 'Answer in two lines.' });
    const listed = await expectJson(await t.api('GET', '/api/prompts'), PromptListSchema);
    expect(listed.prompts.map((prompt) => prompt.name)).toEqual(['Terse']);
    expect(listed.defaultPrompt.content).toBe(DEFAULT_SYSTEM_PROMPT);
    expect((await t.api('DELETE', `/api/prompts/${added.id}`)).status).toBe(204);
    expect((await expectJson(await t.api('GET', '/api/prompts'), PromptListSchema)).prompts).toEqual([]);
    expect((await t.api('PATCH', `/api/prompts/${added.id}`, { name: 'x' })).status).toBe(404);
    expect((await t.api('POST', '/api/prompts', { name: ' ', content: 'x' })).status).toBe(400);
  });

  it('starts a new conversation with the default system prompt, sent first, and editable per conversation', async () => {
    const server = await summarizingModel();
    const t = await app();
    const created = await conversation(t, { title: 'Default' }, server);
    expect(created.settings.systemPrompt).toBe(DEFAULT_SYSTEM_PROMPT);
    expect(created.messages).toEqual([]);
    await add(t, created.id, { role: 'user', content: 'hello', send: true });
    await t.app.turns.whenIdle();
    expect(chats(server)[0]).toEqual([
      { role: 'system', content: DEFAULT_SYSTEM_PROMPT },
      { role: 'user', content: 'hello' },
    ]);

    await t.api('PATCH', `/api/conversations/${created.id}`, { systemPrompt: 'Be terse.' });
    await add(t, created.id, { role: 'user', content: 'again', send: true });
    await t.app.turns.whenIdle();
    expect(chats(server)[1]?.[0]).toEqual({ role: 'system', content: 'Be terse.' });

    const none = await conversation(t, { title: 'None', systemPrompt: '' }, server);
    await add(t, none.id, { role: 'user', content: 'plain', send: true });
    await t.app.turns.whenIdle();
    expect(chats(server)[2]).toEqual([{ role: 'user', content: 'plain' }]);
  });

  it('drafts a summary with the model, records the call, sends it in place of its originals, and undoes it', async () => {
    const server = await summarizingModel();
    const t = await app();
    const created = await conversation(t, { title: 'Summaries', systemPrompt: '' }, server);
    const task = await add(t, created.id, { role: 'user', content: 'the task' });
    const first = await add(t, created.id, { role: 'assistant', content: 'I ran ls' });
    const last = await add(t, created.id, { role: 'user', content: 'a.txt b.txt', author: 'terminal' });
    const after = await add(t, created.id, { role: 'user', content: 'what next?' });

    const result = await expectJson(
      await t.api('POST', `/api/conversations/${created.id}/summaries`, {
        fromMessageId: last.id,
        toMessageId: first.id,
      }),
      SummaryResultSchema,
      201,
    );
    expect(result.summary).toMatchObject({
      role: 'user',
      author: 'model',
      content: 'Summary of earlier work: listed the files.',
      summarizes: [first.id, last.id],
      parentId: after.id,
      included: true,
    });
    expect(result.originals.map((message) => message.included)).toEqual([false, false]);
    const [draftRequest] = chats(server);
    expect(draftRequest?.map((message) => message.content)).toEqual([
      'I ran ls',
      '[terminal] a.txt b.txt',
      SUMMARY_INSTRUCTION,
    ]);
    const call = await expectJson(
      await t.api('GET', `/api/messages/${result.summary.id}/call`),
      ModelCallSchema,
    );
    expect(call).toMatchObject({ status: 'completed', model: 'scripted', messageId: result.summary.id });
    expect(JSON.stringify(call.request)).toContain('I ran ls');

    await t.api('POST', `/api/conversations/${created.id}/generate`, {});
    await t.app.turns.whenIdle();
    expect(chats(server)[1]?.map((message) => message.content)).toEqual([
      'the task',
      'Summary of earlier work: listed the files.',
      'what next?',
    ]);
    expect(task.included).toBe(true);

    const undone = await expectJson(
      await t.api('POST', `/api/messages/${result.summary.id}/unsummarize`),
      SummaryResultSchema,
    );
    expect(undone.summary.included).toBe(false);
    expect(undone.originals.map((message) => message.included)).toEqual([true, true]);
    const path = await expectJson(
      await t.api('GET', `/api/conversations/${created.id}`),
      ConversationWithMessagesSchema,
    );
    expect(path.messages.map((message) => [message.content, message.included])).toEqual([
      ['the task', true],
      ['I ran ls', true],
      ['a.txt b.txt', true],
      ['what next?', true],
      ['Summary of earlier work: listed the files.', false],
      ['ok', true],
    ]);
  });

  it('answers 502 when the model fails to draft, records the failed call, and changes nothing else', async () => {
    const server = await startOpenAiCompatibleServer(() => ({
      status: 400,
      headers: { 'content-type': 'application/json' },
      chunks: [
        JSON.stringify({ error: { message: 'prompt rejected by policy', type: 'invalid_request_error' } }),
      ],
    }));
    cleanups.push(() => server.close());
    const t = await app();
    const created = await conversation(t, { title: 'Failing', systemPrompt: '' }, server);
    const only = await add(t, created.id, { role: 'user', content: 'long output' });
    const refused = await t.api('POST', `/api/conversations/${created.id}/summaries`, {
      fromMessageId: only.id,
      toMessageId: only.id,
    });
    expect(refused.status).toBe(502);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('draft_failed');
    expect(body.error.message).toContain('prompt rejected by policy');
    const calls = await t.app.store.database.db
      .selectFrom('model_calls')
      .select(['status', 'error', 'message_id'])
      .where('conversation_id', '=', created.id)
      .execute();
    expect(calls).toEqual([
      { status: 'error', error: expect.stringContaining('prompt rejected by policy'), message_id: null },
    ]);
    const path = await expectJson(
      await t.api('GET', `/api/conversations/${created.id}`),
      ConversationWithMessagesSchema,
    );
    expect(path.messages.map((message) => [message.id, message.included])).toEqual([[only.id, true]]);
  });

  it('stores a summary the person wrote without calling the model, and refuses a range off the path', async () => {
    const server = await summarizingModel();
    const t = await app();
    const created = await conversation(t, { title: 'By hand', systemPrompt: '' }, server);
    const only = await add(t, created.id, { role: 'user', content: 'long output' });
    const result = await expectJson(
      await t.api('POST', `/api/conversations/${created.id}/summaries`, {
        fromMessageId: only.id,
        toMessageId: only.id,
        content: '[output cut]',
      }),
      SummaryResultSchema,
      201,
    );
    expect(result.summary).toMatchObject({ author: 'human', content: '[output cut]', modelCallId: null });
    expect(chats(server)).toEqual([]);

    const other = await conversation(t, { title: 'Other' });
    const elsewhere = await add(t, other.id, { role: 'user', content: 'elsewhere' });
    const refused = await t.api('POST', `/api/conversations/${created.id}/summaries`, {
      fromMessageId: elsewhere.id,
      toMessageId: only.id,
      content: 'x',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not on the current path');
  });
});
