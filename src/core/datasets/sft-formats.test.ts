import { describe, expect, it } from 'vitest';
import type { TestRunDto } from '../api/workspace-schemas.ts';
import type { ConversationRecord } from './conversation-record.ts';
import type { TrainingFormat } from './dataset-format.ts';
import { DEFAULT_MAX_TOKENS, exportDataset, newExportSummary } from './export-dataset.ts';
import { chainRecord, recordsOf, testExecution, testLabel, testProposal } from './test-records.ts';

async function values(format: TrainingFormat, record: ConversationRecord, includeUnchecked = false) {
  const summary = newExportSummary();
  const result: { source: string; value: Record<string, unknown> }[] = [];
  const options = { includeUnchecked, maxTokens: DEFAULT_MAX_TOKENS[format] };
  for await (const event of exportDataset(format, recordsOf(record), options, summary)) {
    if (event.kind === 'line') result.push({ source: event.origin.source, value: JSON.parse(event.text) });
  }
  return { lines: result, summary };
}

const call = (id: string, command: string) => ({
  id,
  name: 'run_command',
  arguments: JSON.stringify({ command }),
});

/** A session: an edited call that ran, a text the person corrected, an answer rated bad, a last good answer. */
function session(): ConversationRecord {
  return chainRecord(
    [
      { role: 'user', content: 'Run the tests' },
      { role: 'assistant', content: 'Running them.', toolCalls: [call('call_1', 'npm test')] },
      { role: 'tool', content: '3 passed', toolCallId: 'call_1' },
      { role: 'assistant', content: 'All three pass.', earlier: [{ content: 'All pass', editor: 'model' }] },
      { role: 'user', content: 'And lint?', author: 'Jane Doe' },
      { role: 'assistant', content: 'Lint is fine, trust me.' },
      { role: 'user', content: 'Check it.' },
      { role: 'assistant', content: 'Lint passes: 0 warnings.' },
      { role: 'user', content: 'An aside nobody sees', included: false },
    ],
    {
      conversation: { settings: { systemPrompt: 'Be careful.' } },
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
      labels: [
        testLabel({
          targetKind: 'message',
          targetId: 'm6',
          name: 'rating',
          value: 'bad',
          reason: 'did not check',
        }),
      ],
    },
  );
}

describe('SFT formats', () => {
  it('openai-sft: the whole current path, weight 0 on the turns the person corrected or rated bad', async () => {
    const { lines } = await values('openai-sft', session());
    expect(lines).toHaveLength(1);
    const messages = lines[0]?.value.messages as Record<string, unknown>[];
    expect(messages.map((message) => [message.role, message.content, message.weight])).toEqual([
      ['system', 'Be careful.', undefined],
      ['user', 'Run the tests', undefined],
      ['assistant', 'Running them.', 0],
      ['tool', '3 passed', undefined],
      ['assistant', 'All three pass.', 0],
      ['user', 'And lint?', undefined],
      ['assistant', 'Lint is fine, trust me.', 0],
      ['user', 'Check it.', undefined],
      ['assistant', 'Lint passes: 0 warnings.', undefined],
    ]);
    expect(messages[5]?.name).toBe('Jane_Doe');
  });

  it('openai-sft: a good rating lets a corrected text be learned; unchecked messages come in when asked', async () => {
    const record = session();
    record.labels.push(testLabel({ targetKind: 'message', targetId: 'm4', name: 'rating', value: 'good' }));
    const { lines } = await values('openai-sft', record, true);
    const messages = lines[0]?.value.messages as Record<string, unknown>[];
    expect(messages.find((message) => message.content === 'All three pass.')?.weight).toBeUndefined();
    // The unchecked aside is the last message: after the last assistant turn, so still cut.
    expect(messages.at(-1)?.content).toBe('Lint passes: 0 warnings.');
  });

  it('trl-sft: corrected turns as corrected, cut before the first rejected one, authors as prefixes', async () => {
    const { lines } = await values('trl-sft', session());
    const messages = lines[0]?.value.messages as Record<string, unknown>[];
    expect(messages).toEqual([
      { role: 'system', content: 'Be careful.' },
      { role: 'user', content: 'Run the tests' },
      {
        role: 'assistant',
        content: 'Running them.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'run_command', arguments: { command: 'npx vitest run' } },
          },
        ],
      },
      { role: 'tool', content: '3 passed', tool_call_id: 'call_1', name: 'run_command' },
      { role: 'assistant', content: 'All three pass.' },
    ]);
  });

  it('sharegpt: alternating turns, the system prompt and the tools as strings', async () => {
    const { lines } = await values('sharegpt', session());
    const line = lines[0]?.value;
    expect(line?.system).toBe('Be careful.');
    expect(line?.conversations).toEqual([
      { from: 'human', value: 'Run the tests' },
      {
        from: 'function_call',
        value: JSON.stringify({ name: 'run_command', arguments: { command: 'npx vitest run' } }),
      },
      { from: 'observation', value: '3 passed' },
      { from: 'gpt', value: 'All three pass.' },
    ]);
    expect(JSON.parse(line?.tools as string).map((tool: { name: string }) => tool.name)).toEqual([
      'run_command',
      'read_file',
      'write_file',
      'edit_file',
    ]);
  });

  it('a summary stands where its originals were; with unchecked messages taken, the originals instead', async () => {
    const record = chainRecord([
      { role: 'user', content: 'Long question', included: false },
      { role: 'assistant', content: 'Long answer', included: false },
      { role: 'user', content: 'Next question' },
      { role: 'assistant', content: 'Next answer' },
      { role: 'user', content: 'Summary: a question and its answer.', summarizes: ['m1', 'm2'] },
    ]);
    const contents = async (includeUnchecked: boolean) => {
      const { lines } = await values('openai-sft', record, includeUnchecked);
      return ((lines[0]?.value.messages ?? []) as { content: string }[]).map((message) => message.content);
    };
    expect(await contents(false)).toEqual([
      'Summary: a question and its answer.',
      'Next question',
      'Next answer',
    ]);
    expect(await contents(true)).toEqual(['Long question', 'Long answer', 'Next question', 'Next answer']);
  });

  it('every SFT format adds a test-fix line: the request, then the calls that made the tests pass', async () => {
    const run = (id: string, executionId: string, status: 'passed' | 'failed'): TestRunDto => ({
      id,
      conversationId: 'c1',
      executionId,
      status,
      runner: null,
      passed: null,
      failed: null,
      skipped: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const record = chainRecord(
      [
        { role: 'user', content: 'Fix add()' },
        { role: 'assistant', content: '', toolCalls: [call('c1', 'npm test')] },
        { role: 'tool', content: 'fail', toolCallId: 'c1' },
        { role: 'assistant', content: '', toolCalls: [call('c2', "sed -i 's/-/+/' add.js")] },
        { role: 'tool', content: '[exit code 0]', toolCallId: 'c2' },
        { role: 'assistant', content: '', toolCalls: [call('c3', 'npm test')] },
        { role: 'tool', content: 'pass', toolCallId: 'c3' },
        { role: 'assistant', content: 'Fixed.' },
      ],
      {
        proposals: ['c1', 'c2', 'c3'].map((id, index) =>
          testProposal({ id: `p${id}`, messageId: `m${2 * index + 2}`, toolCallId: id, command: id }),
        ),
        executions: [
          testExecution({
            id: 'e1',
            proposalId: 'pc1',
            commandRun: 'npm test',
            exitCode: 1,
            status: 'failed',
            startedAt: '2026-01-01T00:00:01Z',
          }),
          testExecution({
            id: 'e2',
            proposalId: 'pc2',
            commandRun: "sed -i 's/-/+/' add.js",
            startedAt: '2026-01-01T00:00:02Z',
          }),
          testExecution({
            id: 'e3',
            proposalId: 'pc3',
            commandRun: 'npm test',
            startedAt: '2026-01-01T00:00:03Z',
          }),
        ],
        testRuns: [run('t1', 'e1', 'failed'), run('t2', 'e3', 'passed')],
      },
    );
    for (const format of ['openai-sft', 'trl-sft', 'sharegpt'] as const) {
      const { lines, summary } = await values(format, record);
      expect(summary.sources).toEqual({ conversation: 1, 'test-fix': 1 });
      const fix = lines.find((line) => line.source === 'test-fix')?.value;
      expect(JSON.stringify(fix)).toContain('Fix add()');
      expect(JSON.stringify(fix)).not.toContain('fail');
    }
    const { lines } = await values('openai-sft', record);
    const fix = lines.find((line) => line.source === 'test-fix')?.value.messages as Record<string, unknown>[];
    expect(fix).toEqual([
      { role: 'user', content: 'Fix add()' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c2',
            type: 'function',
            function: {
              name: 'run_command',
              arguments: JSON.stringify({ command: "sed -i 's/-/+/' add.js" }),
            },
          },
          {
            id: 'c3',
            type: 'function',
            function: { name: 'run_command', arguments: JSON.stringify({ command: 'npm test' }) },
          },
        ],
      },
    ]);
  });
});
