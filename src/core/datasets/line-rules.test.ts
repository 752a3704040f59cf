import { describe, expect, it } from 'vitest';
import { lineValidator } from './line-rules.ts';

const user = { role: 'user', content: 'Hi' };
const assistant = { role: 'assistant', content: 'Hello' };
const call = (id: string, args = '{"command":"ls"}') => ({
  id,
  type: 'function',
  function: { name: 'run_command', arguments: args },
});
const problemOf = (format: Parameters<typeof lineValidator>[0], value: unknown) =>
  lineValidator(format)(value);

describe('openai-sft line rules', () => {
  const sft = (messages: unknown[]) => problemOf('openai-sft', { messages });

  it('takes a plain conversation and one with answered tool calls', () => {
    expect(sft([user, assistant])).toBeNull();
    expect(
      sft([
        user,
        { role: 'assistant', content: null, tool_calls: [call('a')] },
        { role: 'tool', tool_call_id: 'a', content: 'x' },
        assistant,
      ]),
    ).toBeNull();
    // The last message's calls need no answer (the example teaches making them).
    expect(sft([user, { role: 'assistant', content: null, tool_calls: [call('a')] }])).toBeNull();
  });

  it.each([
    ['no messages', [], /missing_messages_list/],
    ['a message without content', [user, { role: 'assistant' }], /message_missing_key/],
    ['an unknown key', [user, { ...assistant, extra: 1 }], /message_unrecognized_key/],
    ['an unknown role', [{ role: 'robot', content: 'x' }, assistant], /unrecognized_role/],
    ['empty content', [{ role: 'user', content: '' }, assistant], /missing_content/],
    ['a weight on a user message', [{ ...user, weight: 0 }, assistant], /weight/],
    ['a weight of 2', [user, { ...assistant, weight: 2 }], /weight/],
    ['a bad name', [{ ...user, name: 'Jane Doe' }, assistant], /name/],
    [
      'a call left unanswered before the next turn',
      [user, { role: 'assistant', content: null, tool_calls: [call('a')] }, assistant],
      /not answered/,
    ],
    [
      'a tool result answering nothing',
      [user, { role: 'tool', tool_call_id: 'z', content: 'x' }, assistant],
      /answers no open/,
    ],
    [
      'arguments that are not JSON',
      [user, { role: 'assistant', content: null, tool_calls: [call('a', '{"command":')] }],
      /not valid JSON/,
    ],
    [
      'a duplicated call id',
      [user, { role: 'assistant', content: null, tool_calls: [call('a'), call('a')] }],
      /twice/,
    ],
  ])('refuses %s', (_name, messages, problem) => {
    expect(sft(messages as unknown[])).toMatchObject({
      reason: 'invalid',
      problem: expect.stringMatching(problem),
    });
  });

  it('calls a line with nothing to learn from empty', () => {
    expect(sft([user])).toMatchObject({ reason: 'empty' });
    expect(sft([user, { ...assistant, weight: 0 }])).toMatchObject({ reason: 'empty' });
  });

  it('refuses a key the format does not have', () => {
    expect(problemOf('openai-sft', { messages: [user, assistant], extra: true })).toMatchObject({
      reason: 'invalid',
    });
  });
});

describe('openai-dpo line rules', () => {
  const line = (fields: Record<string, unknown>) => ({
    input: { messages: [user] },
    preferred_output: [assistant],
    non_preferred_output: [{ role: 'assistant', content: 'Go away' }],
    ...fields,
  });
  it('takes a pair', () => expect(problemOf('openai-dpo', line({}))).toBeNull());
  it.each([
    ['an input ending with the assistant', { input: { messages: [user, assistant] } }],
    ['two outputs on one side', { preferred_output: [assistant, assistant] }],
    ['a user output', { preferred_output: [user] }],
    ['equal sides', { non_preferred_output: [assistant] }],
    ['a weight', { preferred_output: [{ ...assistant, weight: 1 }] }],
  ])('refuses %s', (_name, fields) => {
    expect(problemOf('openai-dpo', line(fields))).toMatchObject({ reason: 'invalid' });
  });
});

describe('trl line rules', () => {
  const trlCall = (id: string, args: unknown = { command: 'ls' }) => ({
    id,
    type: 'function',
    function: { name: 'run_command', arguments: args },
  });
  it('takes messages, and a prompt with chosen and rejected answers', () => {
    expect(problemOf('trl-sft', { messages: [user, assistant] })).toBeNull();
    expect(
      problemOf('trl-dpo', {
        prompt: [user],
        chosen: [assistant],
        rejected: [{ role: 'assistant', content: 'No' }],
      }),
    ).toBeNull();
  });
  it.each([
    ['null content', { messages: [user, { role: 'assistant', content: null }] }],
    [
      'arguments as text',
      { messages: [user, { role: 'assistant', content: '', tool_calls: [trlCall('a', '{}')] }] },
    ],
    [
      'an unanswered call',
      {
        messages: [
          user,
          { role: 'assistant', content: '', tool_calls: [trlCall('a')] },
          { role: 'user', content: 'next' },
          assistant,
        ],
      },
    ],
    ['another column', { messages: [user, assistant], prompt: [user] }],
  ])('trl-sft refuses %s', (_name, value) => {
    expect(problemOf('trl-sft', value)).toMatchObject({ reason: 'invalid' });
  });
  it.each([
    [
      'a prompt ending with the assistant',
      { prompt: [user, assistant], chosen: [assistant], rejected: [{ role: 'assistant', content: 'No' }] },
    ],
    ['a chosen user turn', { prompt: [user], chosen: [user], rejected: [assistant] }],
    ['equal sides', { prompt: [user], chosen: [assistant], rejected: [assistant] }],
    ['a missing column', { prompt: [user], chosen: [assistant] }],
  ])('trl-dpo refuses %s', (_name, value) => {
    expect(problemOf('trl-dpo', value)).toMatchObject({ reason: 'invalid' });
  });
});

describe('sharegpt line rules', () => {
  const line = (conversations: unknown[]) => ({ conversations, system: '', tools: '[]' });
  it('takes alternating turns with a call and its observation', () => {
    expect(
      problemOf(
        'sharegpt',
        line([
          { from: 'human', value: 'Hi' },
          { from: 'function_call', value: '{"name":"run_command","arguments":{"command":"ls"}}' },
          { from: 'observation', value: 'a.txt' },
          { from: 'gpt', value: 'One file.' },
        ]),
      ),
    ).toBeNull();
  });
  it.each([
    [
      'two human turns in a row',
      [
        { from: 'human', value: 'a' },
        { from: 'human', value: 'b' },
        { from: 'gpt', value: 'c' },
        { from: 'gpt', value: 'd' },
      ],
    ],
    [
      'an odd number of turns',
      [
        { from: 'human', value: 'a' },
        { from: 'gpt', value: 'b' },
        { from: 'human', value: 'c' },
      ],
    ],
    [
      'an observation after gpt',
      [
        { from: 'human', value: 'a' },
        { from: 'gpt', value: 'b' },
        { from: 'observation', value: 'c' },
        { from: 'gpt', value: 'd' },
      ],
    ],
    [
      'a call that is not JSON',
      [
        { from: 'human', value: 'a' },
        { from: 'function_call', value: 'ls' },
      ],
    ],
    [
      'a gpt turn first',
      [
        { from: 'gpt', value: 'a' },
        { from: 'gpt', value: 'b' },
      ],
    ],
  ])('refuses %s', (_name, turns) => {
    expect(problemOf('sharegpt', line(turns))).toMatchObject({ reason: 'invalid' });
  });
  it('calls a line without an answer empty, and refuses tools that are not a JSON list', () => {
    expect(problemOf('sharegpt', line([{ from: 'human', value: 'a' }]))).toMatchObject({ reason: 'empty' });
    expect(problemOf('sharegpt', { conversations: [], system: '', tools: '{}' })).toMatchObject({
      reason: 'invalid',
    });
  });
});
