/**
 * Automatic compaction (issue 8 item 7), opt-in per conversation: a turn that would not fit the model's
 * window first has the oldest messages summarised by the model (a recorded call), visibly (a summary message
 * and a `context-compacted` event) and undoably; without the opt-in the turn is refused as before.
 */
import { afterEach, expect, it } from 'vitest';
import type { LiveEvent } from '../src/core/api/events.ts';
import { ConversationWithMessagesSchema, MessageSchema } from '../src/core/api/schemas.ts';
import { SUMMARY_INSTRUCTION } from '../src/core/context/summary-request.ts';
import { textStream } from './providers/support/openai-script.ts';
import { type RecordedRequest, startWireServer, type WireServer } from './providers/support/wire-server.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { openLiveEvents } from './support/live-events.ts';
import { expectJson, type TestApp } from './support/test-app.ts';

type ChatMessage = { role: string; content: string };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A model whose server says its window is 4,096 tokens (vLLM's `max_model_len`). */
async function smallWindowModel(): Promise<WireServer> {
  const server = await startWireServer((request: RecordedRequest) => {
    if (request.path.endsWith('/models')) {
      return {
        headers: { 'content-type': 'application/json' },
        chunks: [
          JSON.stringify({ object: 'list', data: [{ id: 'small', object: 'model', max_model_len: 4096 }] }),
        ],
      };
    }
    const last = (request.body as { messages: ChatMessage[] }).messages.at(-1);
    return last?.content === SUMMARY_INSTRUCTION
      ? textStream('Summary of earlier work: read a.')
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

describeEachAppEngine('automatic compaction', (engine) => {
  async function overflowing(autoCompact: boolean) {
    const server = await smallWindowModel();
    const t: TestApp = await engine.startApp();
    cleanups.push(() => t.close());
    const created = await expectJson(
      await t.api('POST', '/api/conversations', { title: 'Long', systemPrompt: '' }),
      ConversationWithMessagesSchema,
      201,
    );
    await t.api('PATCH', `/api/conversations/${created.id}`, {
      provider: 'openai-compatible',
      baseUrl: `${server.url}/v1`,
      model: 'small',
      autoCompact,
    });
    const add = async (role: string, content: string) =>
      expectJson(
        await t.api('POST', `/api/conversations/${created.id}/messages`, { role, content }),
        MessageSchema,
        201,
      );
    const oldest = await add('user', `read a: ${'word '.repeat(3000)}`);
    const older = await add('assistant', `a says: ${'text '.repeat(1500)}`);
    const newest = await add('user', 'and now?');
    return { server, t, id: created.id, oldest, older, newest };
  }

  it('summarises the oldest messages so the turn fits, says so, and sends the summary in their place', async () => {
    const { server, t, id, oldest, older } = await overflowing(true);
    const events = await openLiveEvents(t);
    cleanups.push(() => events.close());
    const started = await t.api('POST', `/api/conversations/${id}/generate`, {});
    expect(started.status).toBe(202);
    await t.app.turns.whenIdle();

    const compacted = await events.seen(
      (event): event is Extract<LiveEvent, { type: 'context-compacted' }> =>
        event.type === 'context-compacted',
    );
    expect(compacted.messageIds).toEqual([oldest.id]);
    expect(compacted.message).toContain('auto-compact');
    const [draft, turn] = chats(server);
    expect(draft?.at(-1)?.content).toBe(SUMMARY_INSTRUCTION);
    expect(turn?.map((message) => message.content.slice(0, 24))).toEqual([
      'Summary of earlier work:',
      older.content.slice(0, 24),
      'and now?',
    ]);
    const path = await expectJson(
      await t.api('GET', `/api/conversations/${id}`),
      ConversationWithMessagesSchema,
    );
    const summary = path.messages.find((message) => message.id === compacted.summaryMessageId);
    expect(summary).toMatchObject({ summarizes: [oldest.id], included: true, author: 'model' });
    expect(path.messages.find((message) => message.id === oldest.id)?.included).toBe(false);
    expect(path.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'ok' });
  });

  it('without the opt-in, refuses the turn with the numbers and changes nothing', async () => {
    const { server, t, id } = await overflowing(false);
    const refused = await t.api('POST', `/api/conversations/${id}/generate`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('context window');
    expect(chats(server)).toEqual([]);
    const path = await expectJson(
      await t.api('GET', `/api/conversations/${id}`),
      ConversationWithMessagesSchema,
    );
    expect(path.messages.every((message) => message.included && !message.summarizes)).toBe(true);
  });
});
