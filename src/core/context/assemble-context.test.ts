import { describe, expect, it } from 'vitest';
import type { ProviderDialect } from '../provider.ts';
import { assembleContext, UNANSWERED_TOOL_RESULT } from './assemble-context.ts';
import { pathMessage } from './test-messages.ts';

const openai: ProviderDialect = { authorNames: 'name-field', toolMessages: true };
const prefixed: ProviderDialect = { authorNames: 'prefix', toolMessages: true };
const plain: ProviderDialect = { authorNames: 'prefix', toolMessages: false };
const call = { id: 'call_1', name: 'run_command', arguments: '{"command":"ls"}' };

describe('assembleContext', () => {
  it('leaves out unchecked and deleted messages and says which and why', () => {
    const kept = pathMessage({ role: 'user', content: 'kept' });
    const unchecked = pathMessage({ role: 'user', content: 'unchecked', included: false });
    const deleted = pathMessage({ role: 'assistant', content: 'deleted', deleted: true });
    const context = assembleContext({ path: [kept, unchecked, deleted], dialect: openai });
    expect(context.messages).toEqual([{ role: 'user', content: 'kept' }]);
    expect(context.skipped).toEqual([
      { messageId: unchecked.id, reason: 'unchecked' },
      { messageId: deleted.id, reason: 'deleted' },
    ]);
    expect(context.sourceMessageIds).toEqual([[kept.id]]);
  });

  it('sends custom authors as OpenAI names, sanitised to the allowed alphabet', () => {
    const context = assembleContext({
      path: [
        pathMessage({ role: 'user', content: 'ls output', author: 'terminal' }),
        pathMessage({ role: 'user', content: 'hi', author: 'Jane Doe!' }),
        pathMessage({ role: 'assistant', content: 'I am the reviewer', author: 'reviewer' }),
      ],
      dialect: openai,
    });
    expect(context.messages).toEqual([
      { role: 'user', content: 'ls output', name: 'terminal' },
      { role: 'user', content: 'hi', name: 'Jane_Doe_' },
      { role: 'assistant', content: 'I am the reviewer', name: 'reviewer' },
    ]);
  });

  it('prefixes custom authors where the provider has no name field, and leaves human and model plain', () => {
    const context = assembleContext({
      path: [
        pathMessage({ role: 'user', content: 'hello' }),
        pathMessage({ role: 'assistant', content: 'hi' }),
        pathMessage({ role: 'user', content: 'exit 0', author: 'terminal' }),
      ],
      dialect: prefixed,
    });
    expect(context.messages.map((message) => message.content)).toEqual(['hello', 'hi', '[terminal] exit 0']);
    expect(context.messages.every((message) => message.name === undefined)).toBe(true);
  });

  it('sends terminal output that answers a tool call as that call’s tool result', () => {
    const context = assembleContext({
      path: [
        pathMessage({ role: 'user', content: 'list files' }),
        pathMessage({ role: 'assistant', content: '', toolCalls: [call] }),
        pathMessage({ role: 'tool', content: 'a.txt', author: 'terminal', toolCallId: 'call_1' }),
      ],
      dialect: openai,
    });
    expect(context.messages.at(-1)).toEqual({ role: 'tool', content: 'a.txt', toolCallId: 'call_1' });
    expect(context.messages[1]?.toolCalls).toEqual([call]);
    expect(context.adjustments).toEqual([]);
  });

  it('sends terminal output whose tool call was unchecked as a user message from the terminal', () => {
    const assistant = pathMessage({ role: 'assistant', content: '', toolCalls: [call], included: false });
    const output = pathMessage({ role: 'tool', content: 'a.txt', toolCallId: 'call_1' });
    const context = assembleContext({ path: [assistant, output], dialect: openai });
    expect(context.messages).toEqual([{ role: 'user', content: 'a.txt', name: 'terminal' }]);
    expect(context.adjustments).toEqual([
      expect.objectContaining({ kind: 'orphan-tool-result', messageId: output.id }),
    ]);
  });

  it('answers a tool call nothing answered with a visible placeholder, so the request stays valid', () => {
    const assistant = pathMessage({ role: 'assistant', content: 'running', toolCalls: [call] });
    const context = assembleContext({
      path: [assistant, pathMessage({ role: 'user', content: 'never mind' })],
      dialect: openai,
    });
    expect(context.messages.map((message) => message.role)).toEqual(['assistant', 'tool', 'user']);
    expect(context.messages[1]).toEqual({
      role: 'tool',
      content: UNANSWERED_TOOL_RESULT,
      toolCallId: 'call_1',
    });
    expect(context.sourceMessageIds[1]).toEqual([]);
    expect(context.adjustments[0]).toMatchObject({ kind: 'unanswered-tool-call', messageId: assistant.id });
  });

  it('closes unanswered calls at the end of the path too, and keeps answered ones of parallel calls', () => {
    const second = { id: 'call_2', name: 'run_command', arguments: '{"command":"pwd"}' };
    const context = assembleContext({
      path: [
        pathMessage({ role: 'assistant', content: '', toolCalls: [call, second] }),
        pathMessage({ role: 'tool', content: '/work', toolCallId: 'call_2' }),
      ],
      dialect: openai,
    });
    expect(context.messages.slice(1)).toEqual([
      { role: 'tool', content: '/work', toolCallId: 'call_2' },
      { role: 'tool', content: UNANSWERED_TOOL_RESULT, toolCallId: 'call_1' },
    ]);
  });

  it('renders tool calls and results as text for providers without tools', () => {
    const context = assembleContext({
      path: [
        pathMessage({ role: 'assistant', content: 'Let me look.', toolCalls: [call] }),
        pathMessage({ role: 'tool', content: 'a.txt', toolCallId: 'call_1' }),
      ],
      dialect: plain,
    });
    expect(context.messages).toEqual([
      { role: 'assistant', content: 'Let me look.\n\n[tool call run_command {"command":"ls"}]' },
      { role: 'user', content: '[terminal] a.txt' },
    ]);
    expect(context.adjustments.map((adjustment) => adjustment.kind)).toEqual(['tool-call-as-text']);
  });

  it('keeps system messages and counts content tokens with the injected counter', () => {
    const context = assembleContext({
      path: [
        pathMessage({ role: 'system', content: 'be brief' }),
        pathMessage({ role: 'user', content: 'hi' }),
      ],
      dialect: openai,
      countTokens: (text) => text.length,
    });
    expect(context.messages[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(context.contentTokens).toBe('be brief'.length + 'hi'.length);
  });
});
