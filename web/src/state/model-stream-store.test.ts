import { describe, expect, it } from 'vitest';
import type { Message } from '../api/client.ts';
import { draftText, ModelStreamStore } from './model-stream-store.ts';

const conversationId = 'c1';

function message(fields: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversationId,
    parentId: null,
    role: 'assistant',
    author: 'model',
    included: true,
    deleted: false,
    content: '',
    revision: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    status: 'streaming',
    tokenCount: 0,
    sourceMessageId: null,
    toolCalls: [],
    toolCallId: null,
    modelCallId: 'call1',
    siblingIds: ['m1'],
    ...fields,
  };
}

describe('ModelStreamStore', () => {
  it('appends text deltas token by token and tells only that message’s listeners', () => {
    const store = new ModelStreamStore();
    let heard = 0;
    let other = 0;
    store.subscribe('m1', () => heard++);
    store.subscribe('m2', () => other++);
    store.handle({ type: 'message-created', conversationId, message: message() });
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', text: 'Hel' });
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', text: 'lo' });
    const draft = store.draft('m1');
    expect(draft && draftText(draft, 'ignored')).toBe('Hello');
    expect([heard, other]).toEqual([3, 0]);
  });

  it('follows what was stored when the page joined a stream midway', () => {
    const store = new ModelStreamStore();
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', text: ' more' });
    const draft = store.draft('m1');
    expect(draft && draftText(draft, 'stored so far')).toBe('stored so far more');
  });

  it('keeps tool calls as they stand, and a rate-limit wait until the next delta', () => {
    const store = new ModelStreamStore();
    store.handle({ type: 'message-created', conversationId, message: message() });
    store.handle({ type: 'model-call-started', conversationId, modelCallId: 'call1', messageId: 'm1' });
    store.handle({
      type: 'model-call-retrying',
      conversationId,
      modelCallId: 'call1',
      seconds: 3,
      message: 'rate limited',
    });
    expect(store.draft('m1')?.retrying).toEqual({ seconds: 3, message: 'rate limited' });
    const toolCalls = [{ id: 't1', name: 'run_command', arguments: '{"comm' }];
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', toolCalls });
    expect(store.draft('m1')).toMatchObject({ toolCalls, retrying: null });
  });

  it('drops the draft at the final message and remembers how the call ended', () => {
    const store = new ModelStreamStore();
    store.handle({ type: 'message-created', conversationId, message: message() });
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', text: 'half' });
    store.handle({
      type: 'message-updated',
      conversationId,
      message: message({ status: 'error', content: 'half' }),
    });
    expect(store.draft('m1')).toBeUndefined();
    store.handle({
      type: 'model-call-ended',
      conversationId,
      modelCallId: 'call1',
      messageId: 'm1',
      status: 'error',
      error: 'connection reset',
    });
    expect(store.outcome('m1')).toEqual({ status: 'error', error: 'connection reset' });
  });

  it('forgets drafts after a reconnect, since deltas sent meanwhile are lost', () => {
    const store = new ModelStreamStore();
    store.handle({ type: 'message-created', conversationId, message: message() });
    store.handle({ type: 'message-delta', conversationId, messageId: 'm1', text: 'x' });
    store.reset();
    expect(store.draft('m1')).toBeUndefined();
  });
});
