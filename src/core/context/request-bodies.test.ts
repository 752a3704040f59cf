import { describe, expect, it } from 'vitest';
import type { ProviderMessage } from '../provider.ts';
import { anthropicRequest } from './anthropic-request.ts';
import { ollamaChatRequest } from './ollama-chat-request.ts';
import { openAIChatRequest } from './openai-chat-request.ts';

const call = { id: 'call_1', name: 'run_command', arguments: '{"command":"ls"}' };
const tool = { name: 'run_command', description: 'Run a shell command', parameters: { type: 'object' } };
const conversation: ProviderMessage[] = [
  { role: 'system', content: 'You program.' },
  { role: 'user', content: 'list files', name: 'Jane' },
  { role: 'assistant', content: '', toolCalls: [call] },
  { role: 'tool', content: 'a.txt', toolCallId: 'call_1' },
  { role: 'user', content: '[terminal] exit 0' },
];

describe('openAIChatRequest', () => {
  it('builds the Chat Completions body with names, tool calls, tool results and usage streaming', () => {
    const body = openAIChatRequest({
      model: 'gpt-4o',
      messages: conversation,
      tools: [tool],
      temperature: 0.2,
      maxOutputTokens: 100,
      maxTokensField: 'max_completion_tokens',
      names: true,
    });
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You program.' },
        { role: 'user', content: 'list files', name: 'Jane' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'run_command', arguments: '{"command":"ls"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a.txt' },
        { role: 'user', content: '[terminal] exit 0' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: tool }],
      temperature: 0.2,
      max_completion_tokens: 100,
    });
  });

  it('drops names for servers that do not take them and uses max_tokens', () => {
    const body = openAIChatRequest({
      model: 'qwen',
      messages: conversation.slice(1, 2),
      maxOutputTokens: 5,
      maxTokensField: 'max_tokens',
      names: false,
    });
    expect(body.messages).toEqual([{ role: 'user', content: 'list files' }]);
    expect(body.max_tokens).toBe(5);
    expect(body).not.toHaveProperty('tools');
  });
});

describe('anthropicRequest', () => {
  it('moves leading system text to `system`, merges turns, and sends tool results as tool_result blocks', () => {
    const { body, notes } = anthropicRequest({
      model: 'claude',
      messages: conversation,
      tools: [tool],
      maxTokens: 1000,
    });
    expect(body).toEqual({
      model: 'claude',
      max_tokens: 1000,
      system: 'You program.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'list files' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'run_command', input: { command: 'ls' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'a.txt' },
            { type: 'text', text: '[terminal] exit 0' },
          ],
        },
      ],
      tools: [{ name: 'run_command', description: 'Run a shell command', input_schema: { type: 'object' } }],
      stream: true,
    });
    expect(notes).toEqual([]);
  });

  it('merges consecutive user messages into one turn, because the API requires alternation', () => {
    const { body } = anthropicRequest({
      model: 'claude',
      maxTokens: 10,
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: 'three' },
        { role: 'assistant', content: 'four' },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'three' },
          { type: 'text', text: 'four' },
        ],
      },
    ]);
  });

  it('says what it changed: late system text, empty messages, cut tool arguments', () => {
    const { body, notes } = anthropicRequest({
      model: 'claude',
      maxTokens: 10,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'now be terse' },
        { role: 'assistant', content: '   ' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 't', name: 'run_command', arguments: '{"comm' }],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'text', text: '[system] now be terse' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'run_command', input: {} }] },
    ]);
    expect(notes).toHaveLength(3);
  });
});

describe('ollamaChatRequest', () => {
  it('sends arguments as objects, names the tool of a result, and sets num_ctx', () => {
    const body = ollamaChatRequest({
      model: 'qwen3:8b',
      messages: conversation.slice(2, 4),
      tools: [tool],
      temperature: 0,
      maxOutputTokens: 64,
      contextWindow: 8192,
    });
    expect(body).toEqual({
      model: 'qwen3:8b',
      messages: [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'run_command', arguments: { command: 'ls' } } }],
        },
        { role: 'tool', content: 'a.txt', tool_name: 'run_command' },
      ],
      stream: true,
      tools: [{ type: 'function', function: tool }],
      options: { num_ctx: 8192, temperature: 0, num_predict: 64 },
    });
  });
});
