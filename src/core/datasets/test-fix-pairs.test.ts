import { describe, expect, it } from 'vitest';
import type { TestRunDto } from '../api/workspace-schemas.ts';
import { testFixPairs } from './test-fix-pairs.ts';
import { chainRecord, testExecution, testProposal } from './test-records.ts';

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const run = (id: string, executionId: string, status: 'passed' | 'failed'): TestRunDto => ({
  id,
  conversationId: 'c1',
  executionId,
  status,
  runner: 'node:test',
  passed: null,
  failed: null,
  skipped: null,
  createdAt: at(0),
});

/** A request, then six executions answering one assistant message each: test fails, edits, test passes. */
function session() {
  const specs = [
    { role: 'user' as const, content: 'Make add() handle negatives' },
    ...['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7'].map((id) => ({
      role: 'assistant' as const,
      content: `step ${id}`,
      id: `m-${id}`,
    })),
  ];
  const proposal = (id: string) =>
    testProposal({ id: `p-${id}`, messageId: `m-${id}`, command: id, toolCallId: `call_${id}` });
  const executions = [
    testExecution({
      id: 'e1',
      proposalId: 'p-e1',
      commandRun: 'node --test',
      exitCode: 1,
      status: 'failed',
      startedAt: at(1),
    }),
    testExecution({
      id: 'e2',
      proposalId: 'p-e2',
      commandRun: 'edit_file add.js',
      startedAt: at(2),
      actionRun: { tool: 'edit_file', path: 'add.js', edits: [{ oldText: 'a+b', newText: 'a + b' }] },
    }),
    testExecution({
      id: 'e3',
      proposalId: 'p-e3',
      commandRun: 'read_file add.js',
      startedAt: at(3),
      actionRun: { tool: 'read_file', path: 'add.js' },
    }),
    testExecution({
      id: 'e4',
      proposalId: 'p-e4',
      commandRun: 'write_file add.test.js',
      startedAt: at(4),
      actionRun: { tool: 'write_file', path: 'add.test.js', content: 'test.skip()' },
    }),
    testExecution({
      id: 'e5',
      proposalId: 'p-e5',
      commandRun: 'sed -i s/x/y/ nowhere.js',
      exitCode: 2,
      status: 'failed',
      startedAt: at(5),
    }),
    testExecution({
      id: 'e6',
      proposalId: 'p-e6',
      commandRun: 'npm install negative-numbers',
      startedAt: at(6),
    }),
    testExecution({ id: 'e7', proposalId: 'p-e7', commandRun: 'node --test', startedAt: at(7) }),
  ];
  return chainRecord(specs, {
    proposals: executions.map((execution) => proposal(execution.id)),
    executions,
    testRuns: [run('t1', 'e1', 'failed'), run('t2', 'e7', 'passed')],
  });
}

describe('testFixPairs', () => {
  it('pairs the request with the change that made the tests pass, leaving out failed attempts, reads and test edits', () => {
    const [pair, ...rest] = testFixPairs(session(), { includeUnchecked: false });
    expect(rest).toEqual([]);
    expect(pair?.requestMessageId).toBe('m1');
    expect(pair?.prompt).toEqual([{ role: 'user', content: 'Make add() handle negatives', messageId: 'm1' }]);
    expect(pair?.calls).toEqual([
      {
        id: 'call_e2',
        name: 'edit_file',
        arguments: JSON.stringify({ path: 'add.js', edits: [{ old_text: 'a+b', new_text: 'a + b' }] }),
      },
      {
        id: 'call_e6',
        name: 'run_command',
        arguments: JSON.stringify({ command: 'npm install negative-numbers' }),
      },
      { id: 'call_e7', name: 'run_command', arguments: JSON.stringify({ command: 'node --test' }) },
    ]);
  });

  it('gives nothing when the tests never failed, or never passed after failing', () => {
    const neverFailed = session();
    neverFailed.testRuns = [run('t2', 'e7', 'passed')];
    expect(testFixPairs(neverFailed, { includeUnchecked: false })).toEqual([]);
    const neverPassed = session();
    neverPassed.testRuns = [run('t1', 'e1', 'failed'), run('t2', 'e7', 'failed')];
    expect(testFixPairs(neverPassed, { includeUnchecked: false })).toEqual([]);
  });

  it('keeps each request to its own window: runs after the next request belong to that one', () => {
    const record = session();
    // A second request between the failing run and the rest: the pass now answers the second request, which saw no failure.
    record.messages.splice(2, 0, {
      ...(record.messages[0] as (typeof record.messages)[0]),
      id: 'm-second',
      parentId: 'm-e1',
      content: 'Go on',
    });
    const after = record.messages.find((message) => message.id === 'm-e2');
    if (after) after.parentId = 'm-second';
    expect(testFixPairs(record, { includeUnchecked: false })).toEqual([]);
  });
});
