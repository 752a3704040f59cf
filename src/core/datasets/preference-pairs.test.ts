import { describe, expect, it } from 'vitest';
import { preferencePairs } from './preference-pairs.ts';
import { chainRecord, testExecution, testLabel, testProposal } from './test-records.ts';

const options = { includeUnchecked: false };
const call = (id: string, command: string) => ({
  id,
  name: 'run_command',
  arguments: JSON.stringify({ command }),
});

describe('preferencePairs', () => {
  it('an edited model message: the final revision over the first', () => {
    const record = chainRecord([
      { role: 'user', content: 'Name a prime' },
      { role: 'assistant', content: 'Seven.', earlier: [{ content: 'Nine.', editor: 'model' }] },
    ]);
    const pairs = preferencePairs(record, options);
    expect(pairs).toEqual([
      {
        source: 'edited-message',
        messageId: 'm2',
        prompt: [{ role: 'user', content: 'Name a prime', messageId: 'm1' }],
        chosen: { content: 'Seven.', toolCalls: [] },
        rejected: { content: 'Nine.', toolCalls: [] },
      },
    ]);
  });

  it('a regenerated answer: the sibling on the current path over the others; ratings refine it', () => {
    const specs = [
      { role: 'user' as const, content: 'Say hi' },
      { role: 'assistant' as const, content: 'Yo.' },
      { role: 'assistant' as const, content: 'Hello!', parentId: 'm1' },
      { role: 'assistant' as const, content: 'Greetings.', parentId: 'm1' },
    ];
    const onPath = chainRecord(specs, { leafId: 'm3' });
    expect(
      preferencePairs(onPath, options).map((pair) => [
        pair.source,
        pair.chosen.content,
        pair.rejected.content,
      ]),
    ).toEqual([
      ['chosen-sibling', 'Hello!', 'Yo.'],
      ['chosen-sibling', 'Hello!', 'Greetings.'],
    ]);

    const rated = chainRecord(specs, {
      leafId: 'm3',
      labels: [
        testLabel({ targetKind: 'message', targetId: 'm4', name: 'rating', value: 'good' }),
        testLabel({ targetKind: 'message', targetId: 'm2', name: 'rating', value: 'bad' }),
      ],
    });
    expect(
      preferencePairs(rated, options).map((pair) => [pair.chosen.content, pair.rejected.content]),
    ).toEqual([
      ['Greetings.', 'Yo.'],
      ['Greetings.', 'Hello!'],
    ]);

    const allBad = chainRecord(specs.slice(0, 3), {
      leafId: 'm3',
      labels: [testLabel({ targetKind: 'message', targetId: 'm3', name: 'rating', value: 'bad' })],
    });
    expect(preferencePairs(allBad, options)).toEqual([]);
  });

  it('a stopped answer is on neither side of a sibling pair', () => {
    const record = chainRecord(
      [
        { role: 'user', content: 'Say hi' },
        { role: 'assistant', content: 'Hel', status: 'stopped' },
        { role: 'assistant', content: 'Hello!', parentId: 'm1' },
      ],
      { leafId: 'm3' },
    );
    expect(preferencePairs(record, options)).toEqual([]);
  });

  it('an edited tool call: the call as it ran over the call as proposed', () => {
    const record = chainRecord(
      [
        { role: 'user', content: 'Run the tests' },
        { role: 'assistant', content: '', toolCalls: [call('call_1', 'npm test --silent')] },
        { role: 'tool', content: 'ok', toolCallId: 'call_1' },
      ],
      {
        proposals: [
          testProposal({
            id: 'p1',
            messageId: 'm2',
            toolCallId: 'call_1',
            command: 'npm test --silent',
            execution: testExecution({
              id: 'e1',
              proposalId: 'p1',
              commandProposed: 'npm test --silent',
              commandRun: 'npx vitest run',
            }),
          }),
        ],
      },
    );
    const [pair] = preferencePairs(record, options);
    expect(pair?.source).toBe('edited-proposal');
    expect(pair?.chosen.toolCalls).toEqual([call('call_1', 'npx vitest run')]);
    expect(pair?.rejected.toolCalls).toEqual([call('call_1', 'npm test --silent')]);
    expect(pair?.prompt.map((turn) => turn.role)).toEqual(['user']);
  });

  it('an edited file action: the action as applied, in the tool’s own snake_case arguments', () => {
    const proposed = { path: 'a.txt', edits: [{ old_text: 'x', new_text: 'y' }] };
    const record = chainRecord(
      [
        { role: 'user', content: 'Fix a.txt' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'edit_file', arguments: JSON.stringify(proposed) }],
        },
      ],
      {
        proposals: [
          testProposal({
            id: 'p1',
            messageId: 'm2',
            toolCallId: 'call_1',
            kind: 'edit_file',
            command: 'edit_file a.txt',
            action: { tool: 'edit_file', path: 'a.txt', edits: [{ oldText: 'x', newText: 'y' }] },
            execution: testExecution({
              id: 'e1',
              proposalId: 'p1',
              commandRun: 'edit_file a.txt',
              actionRun: { tool: 'edit_file', path: 'a.txt', edits: [{ oldText: 'x', newText: 'z' }] },
            }),
          }),
        ],
      },
    );
    const [pair] = preferencePairs(record, options);
    expect(pair?.source).toBe('edited-proposal');
    expect(JSON.parse(pair?.chosen.toolCalls[0]?.arguments ?? '')).toEqual({
      path: 'a.txt',
      edits: [{ old_text: 'x', new_text: 'z' }],
    });
  });

  it('a rejected tool call: the next command the person let run over it; none ran after it: no pair', () => {
    const specs = [
      { role: 'user' as const, content: 'Clean up' },
      { role: 'assistant' as const, content: 'Removing it all.', toolCalls: [call('call_1', 'rm -rf /')] },
      { role: 'tool' as const, content: 'Rejected: too broad', toolCallId: 'call_1' },
    ];
    const rejected = testProposal({
      id: 'p1',
      messageId: 'm2',
      toolCallId: 'call_1',
      command: 'rm -rf /',
      status: 'rejected',
      reason: 'too broad',
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
    const ranNext = testExecution({
      id: 'e2',
      commandRun: 'rm -rf build',
      startedAt: '2026-01-01T00:00:02.000Z',
    });
    const ranBefore = testExecution({ id: 'e1', commandRun: 'ls', startedAt: '2026-01-01T00:00:00.500Z' });
    const record = chainRecord(specs, { proposals: [rejected], executions: [ranBefore, ranNext] });
    const [pair] = preferencePairs(record, options);
    expect(pair?.source).toBe('rejected-proposal');
    expect(pair?.chosen).toEqual({
      content: 'Removing it all.',
      toolCalls: [call('call_1', 'rm -rf build')],
    });
    expect(pair?.rejected.toolCalls).toEqual([call('call_1', 'rm -rf /')]);

    expect(
      preferencePairs(chainRecord(specs, { proposals: [rejected], executions: [ranBefore] }), options),
    ).toEqual([]);
  });

  it('leaves out turns that are deleted, and unchecked ones unless asked', () => {
    const specs = (fields: { included?: boolean; deleted?: boolean }) =>
      chainRecord([
        { role: 'user', content: 'Name a prime' },
        { role: 'assistant', content: 'Seven.', earlier: [{ content: 'Nine.', editor: 'model' }], ...fields },
      ]);
    expect(preferencePairs(specs({ included: false }), options)).toEqual([]);
    expect(preferencePairs(specs({ included: false }), { includeUnchecked: true })).toHaveLength(1);
    expect(preferencePairs(specs({ deleted: true }), { includeUnchecked: true })).toEqual([]);
  });
});
