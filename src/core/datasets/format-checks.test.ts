/**
 * The formats load where they are meant to (issue 9, "Done when"): the openai-* lines pass OpenAI's
 * published format checks, and the trl-* lines have the column layouts TRL's trainers document. The checks
 * are ported here as they are published, so a change of our shapes that breaks them fails here.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from './conversation-record.ts';
import type { TrainingFormat } from './dataset-format.ts';
import { DEFAULT_MAX_TOKENS, exportDataset, newExportSummary } from './export-dataset.ts';
import { chainRecord, recordsOf, testExecution, testLabel, testProposal } from './test-records.ts';

/**
 * OpenAI cookbook, "Data preparation and analysis for chat model fine-tuning", the format error checks, line
 * for line. It predates tool calling; `withTools` adds what OpenAI's fine-tuning guide adds for it (role
 * `tool`, keys `tool_calls` and `tool_call_id`, null content beside tool calls) and nothing else.
 */
function cookbookFormatErrors(dataset: unknown[], withTools: boolean): Record<string, number> {
  const errors: Record<string, number> = {};
  const count = (key: string) => {
    errors[key] = (errors[key] ?? 0) + 1;
  };
  const keys = [
    'role',
    'content',
    'name',
    'function_call',
    'weight',
    ...(withTools ? ['tool_calls', 'tool_call_id'] : []),
  ];
  const roles = ['system', 'user', 'assistant', 'function', ...(withTools ? ['tool'] : [])];
  for (const ex of dataset) {
    if (ex === null || typeof ex !== 'object' || Array.isArray(ex)) {
      count('data_type');
      continue;
    }
    const messages = (ex as { messages?: unknown }).messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      count('missing_messages_list');
      continue;
    }
    for (const message of messages as Record<string, unknown>[]) {
      if (!('role' in message) || !('content' in message)) count('message_missing_key');
      if (Object.keys(message).some((key) => !keys.includes(key))) count('message_unrecognized_key');
      if (!roles.includes(message.role as string)) count('unrecognized_role');
      const content = message.content;
      const functionCall = message.function_call ?? (withTools ? message.tool_calls : undefined);
      const textual =
        typeof content === 'string' || (withTools && content === null && functionCall !== undefined);
      if ((!content && !functionCall) || !textual) count('missing_content');
    }
    if (!messages.some((message) => (message as { role?: string }).role === 'assistant')) {
      count('example_missing_assistant_message');
    }
  }
  return errors;
}

/** TRL's data_utils.is_conversational: the first of the known columns holds a list of {role, content}. */
function isConversational(example: Record<string, unknown>): boolean {
  for (const key of ['prompt', 'chosen', 'rejected', 'completion', 'messages']) {
    const value = example[key];
    if (Array.isArray(value)) {
      const first = value[0];
      return typeof first === 'object' && first !== null && 'role' in first && 'content' in first;
    }
  }
  return false;
}

const chatOnly = () =>
  chainRecord([
    { role: 'user', content: 'What is 2 + 2?' },
    { role: 'assistant', content: '5', earlier: [], id: 'a1' },
    { role: 'user', content: 'Again?' },
    { role: 'assistant', content: 'Four.', earlier: [{ content: 'Five.', editor: 'model' }] },
  ]);

const withTools = () =>
  chainRecord(
    [
      { role: 'user', content: 'Run the tests' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'run_command', arguments: '{"command":"npm test"}' }],
      },
      { role: 'tool', content: 'exit 0', toolCallId: 'call_1' },
      { role: 'assistant', content: 'All green.' },
      { role: 'assistant', content: 'Tests pass.', parentId: 'm3' },
    ],
    {
      leafId: 'm4',
      conversation: { settings: { systemPrompt: 'You are a careful programmer.' } },
      proposals: [
        testProposal({
          id: 'p1',
          messageId: 'm2',
          toolCallId: 'call_1',
          command: 'npm test',
          execution: testExecution({
            id: 'e1',
            proposalId: 'p1',
            commandProposed: 'npm test',
            commandRun: 'npx vitest run',
          }),
        }),
      ],
      labels: [testLabel({ targetKind: 'message', targetId: 'm5', name: 'rating', value: 'bad' })],
    },
  );

async function lines(
  format: TrainingFormat,
  ...records: ConversationRecord[]
): Promise<Record<string, unknown>[]> {
  const summary = newExportSummary();
  const result: Record<string, unknown>[] = [];
  const options = { includeUnchecked: false, maxTokens: DEFAULT_MAX_TOKENS[format] };
  for await (const event of exportDataset(format, recordsOf(...records), options, summary)) {
    if (event.kind === 'line') result.push(JSON.parse(event.text));
  }
  expect(summary.invalid).toEqual([]);
  return result;
}

describe("OpenAI's published format checks", () => {
  it('openai-sft lines without tool calls pass the cookbook checks as published', async () => {
    const dataset = (await lines('openai-sft', chatOnly())).map(({ tools: _tools, ...line }) => line);
    expect(dataset).toHaveLength(1);
    expect(cookbookFormatErrors(dataset, false)).toEqual({});
  });

  it('openai-sft lines with tool calls pass them as extended for tools', async () => {
    const dataset = await lines('openai-sft', withTools(), chatOnly());
    expect(dataset.length).toBeGreaterThan(1);
    expect(cookbookFormatErrors(dataset, true)).toEqual({});
  });

  it('openai-dpo: the input and each output, read as one conversation, pass them too', async () => {
    const dataset = await lines('openai-dpo', withTools(), chatOnly());
    expect(dataset.length).toBe(3);
    const conversations = dataset.flatMap((line) => {
      const input = (line.input as { messages: unknown[] }).messages;
      return [
        { messages: [...input, ...(line.preferred_output as unknown[])] },
        { messages: [...input, ...(line.non_preferred_output as unknown[])] },
      ];
    });
    expect(cookbookFormatErrors(conversations, true)).toEqual({});
  });
});

describe("TRL's documented column layouts", () => {
  it('trl-sft: a conversational language-modeling dataset, the "messages" column (and "tools")', async () => {
    const dataset = await lines('trl-sft', withTools(), chatOnly());
    for (const line of dataset) {
      expect(Object.keys(line).sort()).toEqual(['messages', 'tools']);
      expect(isConversational(line)).toBe(true);
    }
  });

  it('trl-dpo: a conversational preference dataset, "prompt", "chosen" and "rejected" only', async () => {
    const dataset = await lines('trl-dpo', withTools(), chatOnly());
    expect(dataset.length).toBe(3);
    for (const line of dataset) {
      expect(Object.keys(line).sort()).toEqual(['chosen', 'prompt', 'rejected']);
      expect(isConversational(line)).toBe(true);
      for (const side of ['chosen', 'rejected']) {
        expect((line[side] as { role: string }[]).map((message) => message.role)).toEqual(['assistant']);
      }
    }
  });
});
