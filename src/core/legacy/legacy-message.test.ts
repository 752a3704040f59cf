import { describe, expect, it } from 'vitest';
import { InvalidLegacyDatabaseError } from './invalid-legacy-database-error.ts';
import type { LegacyMessageRow } from './legacy-database.ts';
import { legacyAuthorship, parseLegacyMessage } from './legacy-message.ts';

function row(type: number, role: string, body: unknown): LegacyMessageRow {
  return {
    id: 7,
    hash: 'h',
    content: typeof body === 'string' ? body : JSON.stringify(body),
    datetime: '2023-04-02 16:00:00',
    type,
    role,
    sourceId: null,
  };
}

const authorship = (legacy: LegacyMessageRow, fromModel = false) =>
  legacyAuthorship(legacy, parseLegacyMessage(legacy), fromModel);

describe('parseLegacyMessage', () => {
  it('reads a raw chat.completion: text, model, usage, finish reason, created', () => {
    const parsed = parseLegacyMessage(
      row(0, 'assistant', {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1680466339,
        model: 'gpt-3.5-turbo-0301',
        usage: { prompt_tokens: 156, completion_tokens: 150, total_tokens: 306 },
        choices: [{ message: { role: 'assistant', content: 'Great!' }, finish_reason: 'length', index: 0 }],
      }),
    );
    expect(parsed).toEqual({
      kind: 'response',
      content: 'Great!',
      model: 'gpt-3.5-turbo-0301',
      usage: { prompt_tokens: 156, completion_tokens: 150, total_tokens: 306 },
      finishReason: 'length',
      createdUtcSeconds: 1680466339,
    });
  });

  it('reads a chat message, with null content as empty text', () => {
    expect(parseLegacyMessage(row(3, 'terminal', { role: 'user', name: 'terminal', content: null }))).toEqual(
      {
        kind: 'text',
        role: 'user',
        name: 'terminal',
        content: '',
      },
    );
  });

  it('refuses text that is not JSON, and a raw response without choices, naming the row', () => {
    expect(() => parseLegacyMessage(row(2, 'human', 'hello'))).toThrow(InvalidLegacyDatabaseError);
    expect(() => parseLegacyMessage(row(0, 'assistant', { error: 'rate limited' }))).toThrow(
      /legacy message 7/,
    );
    expect(() => parseLegacyMessage(row(2, 'human', [1, 2]))).toThrow(/not a chat message/);
  });
});

describe('legacyAuthorship', () => {
  it('makes the named user roles authors', () => {
    expect(authorship(row(2, 'human', { role: 'user', name: 'human', content: 'x' }))).toEqual({
      role: 'user',
      author: 'human',
      editor: 'human',
    });
    expect(authorship(row(3, 'terminal', { role: 'user', name: 'Terminal', content: 'x' }))).toEqual({
      role: 'user',
      author: 'terminal',
      editor: 'terminal',
    });
    expect(authorship(row(2, 'Reviewer', { role: 'user', name: 'Reviewer', content: 'x' })).author).toBe(
      'Reviewer',
    );
  });

  it('credits the model only for what came from a model response', () => {
    expect(authorship(row(1, 'assistant', { role: 'assistant', content: 'x' }))).toEqual({
      role: 'assistant',
      author: 'model',
      editor: 'model',
    });
    expect(authorship(row(2, 'assistant', { role: 'assistant', content: 'x' }))).toEqual({
      role: 'assistant',
      author: 'human',
      editor: 'human',
    });
  });

  it('marks text of unknown origin as imported, unless a raw response shows the model wrote it', () => {
    const untyped = row(5, 'assistant', { role: 'assistant', content: 'x' });
    expect(authorship(untyped)).toEqual({ role: 'assistant', author: 'human', editor: 'import' });
    expect(authorship(untyped, true)).toEqual({ role: 'assistant', author: 'model', editor: 'model' });
  });

  it('keeps system and plain user messages, and falls back to the role column', () => {
    expect(authorship(row(2, 'system', { role: 'system', content: 'x' }))).toMatchObject({ role: 'system' });
    expect(authorship(row(2, 'user', { content: 'x' }))).toMatchObject({ role: 'user', author: 'human' });
    expect(authorship(row(2, 'terminal', { content: 'x' }))).toMatchObject({
      role: 'user',
      author: 'terminal',
    });
  });
});
