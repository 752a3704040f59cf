import type { Message } from '../domain.ts';

let counter = 0;

/** A path message for context tests; only what assembly reads matters, the rest is filler. */
export function pathMessage(fields: Partial<Message> & Pick<Message, 'role' | 'content'>): Message {
  counter += 1;
  return {
    id: `m${counter}`,
    conversationId: 'c1',
    parentId: null,
    author: fields.role === 'assistant' ? 'model' : fields.role === 'tool' ? 'terminal' : 'human',
    included: true,
    deleted: false,
    revision: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    status: 'complete',
    tokenCount: 0,
    sourceMessageId: null,
    toolCalls: [],
    toolCallId: null,
    modelCallId: null,
    siblingIds: [],
    ...fields,
  };
}
