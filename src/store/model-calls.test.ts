import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../core/errors.ts';
import { Store } from './store.ts';

describe('ModelCallRepository', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mp-model-calls-'));
    store = Store.open(join(dir, 'mp.db'));
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the request and raw response text exactly, and the usage object', () => {
    const conversation = store.conversations.create({ title: 't' });
    const message = store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'hi',
    });
    const raw = '{"id": "chatcmpl-1", "choices": []}';
    const call = store.modelCalls.create({
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
    expect(store.modelCalls.get(call.id)).toEqual({
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
    });
  });

  it('starts a call as running when no status is given', () => {
    const conversation = store.conversations.create();
    const call = store.modelCalls.create({
      conversationId: conversation.id,
      provider: 'p',
      model: 'm',
      request: '{}',
    });
    expect(call.status).toBe('running');
    expect(call.messageId).toBeNull();
  });

  it('reports an unknown id as not found', () => {
    expect(() => store.modelCalls.get('nope')).toThrow(NotFoundError);
  });
});
