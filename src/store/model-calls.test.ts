import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { NotFoundError } from '../core/errors.ts';

describeEachEngine('ModelCallRepository', (engine) => {
  it('keeps the request and raw response text exactly, and the usage object', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 't' });
    const message = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'hi',
    });
    const raw = '{"id": "chatcmpl-1", "choices": []}';
    const call = await store.modelCalls.create({
      conversationId: conversation.id,
      messageId: message.id,
      provider: 'openai',
      model: 'gpt-4o',
      request: '{"legacy": true}',
      response: raw,
      usage: { prompt_tokens: 3, completion_tokens: 1 },
      finishReason: 'stop',
      status: 'completed',
      createdAt: '2023-04-02T20:12:25.000Z',
      endedAt: '2023-04-02T20:12:25.000Z',
    });
    expect(await store.modelCalls.get(call.id)).toEqual({
      id: call.id,
      conversationId: conversation.id,
      messageId: message.id,
      provider: 'openai',
      model: 'gpt-4o',
      baseUrl: null,
      request: '{"legacy": true}',
      response: raw,
      assembled: null,
      usage: { prompt_tokens: 3, completion_tokens: 1 },
      finishReason: 'stop',
      status: 'completed',
      timeToFirstTokenMs: null,
      durationMs: null,
      error: null,
      createdAt: '2023-04-02T20:12:25.000Z',
      endedAt: '2023-04-02T20:12:25.000Z',
      accountId: null,
    });
  });

  it('starts a call as running when no status is given', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create();
    const call = await store.modelCalls.create({
      conversationId: conversation.id,
      provider: 'p',
      model: 'm',
      request: '{}',
    });
    expect(call.status).toBe('running');
    expect(call.messageId).toBeNull();
  });

  it('records how a call ended, timings as numbers, and finds it from the message it produced', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create();
    const call = await store.modelCalls.create({
      conversationId: conversation.id,
      provider: 'p',
      model: 'm',
      baseUrl: 'http://127.0.0.1:8080/v1',
      request: '{}',
    });
    const message = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'done',
    });
    expect(await store.modelCalls.forMessage(message.id)).toBeUndefined();
    await store.modelCalls.linkMessage(call.id, message.id);

    const finished = await store.modelCalls.finish(call.id, {
      status: 'completed',
      request: '{"model": "m", "stream": true}',
      response: 'data: {}\n\ndata: [DONE]\n\n',
      assembled: '{"content": "done"}',
      usage: { total_tokens: 12 },
      finishReason: 'stop',
      // Past 2^31: a BIGINT column on PostgreSQL, read back as a JS number on both engines.
      timeToFirstTokenMs: 3_000_000_000,
      durationMs: 4_000_000_000,
      error: null,
    });
    expect(finished).toMatchObject({
      status: 'completed',
      request: '{"model": "m", "stream": true}',
      usage: { total_tokens: 12 },
      timeToFirstTokenMs: 3_000_000_000,
      durationMs: 4_000_000_000,
    });
    expect(finished.endedAt).not.toBeNull();
    expect(await store.modelCalls.forMessage(message.id)).toEqual(finished);
  });

  it('after a crash ends the calls still running with the reason, and only them', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create();
    const base = { conversationId: conversation.id, provider: 'p', model: 'm', request: '{}' };
    const cut = await store.modelCalls.create(base);
    const alsoCut = await store.modelCalls.create(base);
    const done = await store.modelCalls.create({ ...base, status: 'completed' });

    expect(await store.modelCalls.markRunningInterrupted('the server stopped')).toBe(2);
    for (const id of [cut.id, alsoCut.id]) {
      expect(await store.modelCalls.get(id)).toMatchObject({ status: 'error', error: 'the server stopped' });
    }
    expect(await store.modelCalls.get(done.id)).toMatchObject({ status: 'completed', error: null });
    expect(await store.modelCalls.markRunningInterrupted('again')).toBe(0);
  });

  it('reports an unknown id as not found', async () => {
    const store = await engine.openStore();
    await expect(store.modelCalls.get('nope')).rejects.toThrow(NotFoundError);
  });
});
