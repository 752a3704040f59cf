import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../api/client.ts';
import { applyMessage, applyMessages } from './conversation-patches.ts';

function message(id: string, parentId: string | null, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'c1',
    parentId,
    role: 'user',
    author: 'human',
    included: true,
    deleted: false,
    content: `text of ${id}`,
    revision: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    status: 'complete',
    tokenCount: 3,
    sourceMessageId: null,
    toolCalls: [],
    toolCallId: null,
    modelCallId: null,
    siblingIds: [id],
    ...overrides,
  };
}

function conversation(messages: Message[]): Conversation {
  return {
    id: 'c1',
    title: 'T',
    description: '',
    startupScript: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    currentLeafId: messages.at(-1)?.id ?? null,
    forkedFromConversationId: null,
    forkedFromMessageId: null,
    settings: {},
    ownerAccountId: null,
    visibility: 'team',
    hasOlder: false,
    pathStats: { messages: messages.length, deleted: 0, included: messages.length, includedTokens: 0 },
    messages,
  };
}

describe('applyMessage', () => {
  it('appends a child of the leaf and moves the leaf to it', () => {
    const result = applyMessage(conversation([message('a', null)]), message('b', 'a'), false);
    expect(result.needsRefetch).toBe(false);
    expect(result.conversation.messages.map((shown) => shown.id)).toEqual(['a', 'b']);
    expect(result.conversation.currentLeafId).toBe('b');
  });

  it('appends the first message of an empty conversation', () => {
    const result = applyMessage(conversation([]), message('a', null), false);
    expect(result.conversation.messages.map((shown) => shown.id)).toEqual(['a']);
  });

  it('replaces a message it already shows, so an event after our own answer is harmless', () => {
    const start = conversation([message('a', null), message('b', 'a')]);
    const result = applyMessage(start, message('a', null, { content: 'edited', revision: 2 }), false);
    expect(result.conversation.messages[0]?.content).toBe('edited');
    expect(result.conversation.messages).toHaveLength(2);
  });

  it('drops a deleted message unless deleted ones are shown', () => {
    const start = conversation([message('a', null), message('b', 'a')]);
    expect(
      applyMessage(start, message('b', 'a', { deleted: true }), false).conversation.messages,
    ).toHaveLength(1);
    const shown = applyMessage(start, message('b', 'a', { deleted: true }), true).conversation.messages;
    expect(shown[1]?.deleted).toBe(true);
  });

  it('asks for a refetch when the message belongs off the shown path', () => {
    const start = conversation([message('a', null), message('b', 'a')]);
    expect(applyMessage(start, message('x', 'a'), false).needsRefetch).toBe(true);
  });

  it('ignores messages of other conversations', () => {
    const start = conversation([message('a', null)]);
    const result = applyMessage(start, message('z', 'a', { conversationId: 'c2' }), false);
    expect(result.conversation).toBe(start);
    expect(result.needsRefetch).toBe(false);
  });

  it('appends a copied chain in order', () => {
    const start = conversation([message('a', null)]);
    const result = applyMessages(start, [message('b', 'a'), message('c', 'b')], false);
    expect(result.conversation.messages.map((shown) => shown.id)).toEqual(['a', 'b', 'c']);
    expect(result.needsRefetch).toBe(false);
  });
});
