import { describe, expect, it } from 'vitest';
import type { Execution, Proposal } from '../api/terminal-api.ts';
import { LIVE_OUTPUT_LIMIT, TerminalStore } from './terminal-store.ts';

const conversationId = 'c1';

function execution(fields: Partial<Execution> = {}): Execution {
  return {
    id: 'e1',
    conversationId,
    proposalId: 'p1',
    commandProposed: 'ls',
    commandRun: 'ls',
    status: 'running',
    exitCode: null,
    output: '',
    outputTruncated: false,
    durationMs: null,
    sandbox: 'bwrap',
    cwd: null,
    resultMessageId: null,
    startedAt: '2025-01-01T00:00:01.000Z',
    endedAt: null,
    limitHit: null,
    approvedBy: 'human',
    accountId: null,
    actionRun: null,
    ...fields,
  };
}

function proposal(fields: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p1',
    conversationId,
    messageId: 'm1',
    position: 0,
    toolCallId: 'call_1',
    kind: 'command',
    command: 'ls',
    action: null,
    testEditWarning: false,
    timeoutSeconds: null,
    status: 'proposed',
    reason: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    decidedByAccountId: null,
    execution: null,
    ...fields,
  };
}

function openStore(): TerminalStore {
  const store = new TerminalStore({ schedule: (flush) => flush() });
  store.open(conversationId);
  return store;
}

describe('TerminalStore', () => {
  it('tells when the open conversation’s list has been merged, and wakes a waiter when another one opens', async () => {
    const store = openStore();
    const settled: string[] = [];
    const first = store.listLoaded().then(() => settled.push(`first, ${store.conversationId}`));
    await Promise.resolve();
    expect(settled).toEqual([]);
    store.load('other', [proposal({ conversationId: 'other' })]);
    await Promise.resolve();
    expect(settled).toEqual([]);
    store.load(conversationId, [proposal()]);
    await first;
    expect(store.waiting(new Map()).map((waiting) => waiting.id)).toEqual(['p1']);

    const second = store.listLoaded();
    await second;
    store.open('c2');
    const third = store.listLoaded().then(() => settled.push(`third, ${store.conversationId}`));
    store.open('c3');
    await third;
    expect(settled).toEqual([`first, ${conversationId}`, 'third, c3']);
  });

  it('lists a message’s proposals in order and tells only that message’s listeners', () => {
    const store = openStore();
    let heard = 0;
    let other = 0;
    store.subscribeMessage('m1', () => heard++);
    store.subscribeMessage('m2', () => other++);
    store.handle({ type: 'proposal-created', conversationId, proposal: proposal({ id: 'p2', position: 1 }) });
    store.handle({ type: 'proposal-created', conversationId, proposal: proposal() });
    expect(store.proposalsFor('m1').map((p) => p.id)).toEqual(['p1', 'p2']);
    expect([heard, other]).toEqual([2, 0]);
  });

  it('lists the waiting commands in path order, those of messages not held first, whatever is rendered', () => {
    const store = openStore();
    const later = '2025-01-01T00:01:00.000Z';
    for (const fields of [
      { id: 'ran', messageId: 'm1', status: 'completed' as const },
      { id: 'm3-second', messageId: 'm3', position: 1 },
      { id: 'm3-first', messageId: 'm3', position: 0 },
      // Proposed later for an earlier message (Run on an old message): the path's order wins.
      { id: 'm2', messageId: 'm2', createdAt: later },
      { id: 'above-later', messageId: 'm0', createdAt: later },
      { id: 'above', messageId: 'm-1' },
    ]) {
      store.applyProposal(proposal(fields));
    }
    const held = new Map([
      ['m1', 0],
      ['m2', 1],
      ['m3', 2],
    ]);
    expect(store.waiting(held).map((p) => p.id)).toEqual([
      'above',
      'above-later',
      'm2',
      'm3-first',
      'm3-second',
    ]);
  });

  it('ignores events of another conversation', () => {
    const store = openStore();
    store.handle({
      type: 'proposal-created',
      conversationId: 'other',
      proposal: proposal({ conversationId: 'other' }),
    });
    expect(store.proposalsFor('m1')).toEqual([]);
  });

  it('streams output into the live view, then replaces it with the stored output at the end', () => {
    const store = openStore();
    store.handle({ type: 'proposal-created', conversationId, proposal: proposal() });
    store.handle({ type: 'command-started', conversationId, execution: execution() });
    store.handle({ type: 'command-output-delta', conversationId, executionId: 'e1', text: 'a' });
    store.handle({ type: 'command-output-delta', conversationId, executionId: 'e1', text: 'b' });
    expect(store.liveOutput('e1')).toEqual({ text: 'ab', cut: false });
    expect(store.proposalsFor('m1')[0]?.execution?.status).toBe('running');
    const ended = execution({
      status: 'completed',
      exitCode: 0,
      output: 'ab',
      endedAt: '2025-01-01T00:00:02.000Z',
    });
    store.handle({ type: 'command-ended', conversationId, execution: ended });
    expect(store.liveOutput('e1')).toBeUndefined();
    expect(store.proposalsFor('m1')[0]?.execution).toEqual(ended);
  });

  it('never lets a late answer saying "running" undo an end already heard', () => {
    const store = openStore();
    store.handle({ type: 'proposal-created', conversationId, proposal: proposal() });
    const ended = execution({ status: 'completed', endedAt: '2025-01-01T00:00:02.000Z' });
    store.handle({ type: 'command-ended', conversationId, execution: ended });
    store.applyExecution(execution());
    store.applyProposal(
      proposal({ status: 'running', updatedAt: '2025-01-01T00:00:01.000Z', execution: execution() }),
    );
    expect(store.execution('e1')?.status).toBe('completed');
    expect(store.proposalsFor('m1')[0]?.execution?.status).toBe('completed');
  });

  it('keeps only the tail of a very long live output, and says so', () => {
    const store = openStore();
    store.handle({ type: 'command-started', conversationId, execution: execution({ proposalId: null }) });
    store.handle({
      type: 'command-output-delta',
      conversationId,
      executionId: 'e1',
      text: 'x'.repeat(LIVE_OUTPUT_LIMIT),
    });
    store.handle({ type: 'command-output-delta', conversationId, executionId: 'e1', text: 'END' });
    const live = store.liveOutput('e1');
    expect(live?.cut).toBe(true);
    expect(live?.text.length).toBe(LIVE_OUTPUT_LIMIT);
    expect(live?.text.endsWith('END')).toBe(true);
  });

  it('keeps what an event brought when an older list arrives after it', () => {
    const store = openStore();
    const running = proposal({ status: 'running', updatedAt: '2025-01-01T00:00:05.000Z' });
    store.handle({ type: 'proposal-updated', conversationId, proposal: running });
    store.handle({ type: 'proposal-created', conversationId, proposal: proposal({ id: 'p9', position: 1 }) });
    store.load(conversationId, [proposal()]);
    expect(store.proposalsFor('m1').map((p) => [p.id, p.status])).toEqual([
      ['p1', 'running'],
      ['p9', 'proposed'],
    ]);
  });

  it('tracks commands run directly while they run', () => {
    const store = openStore();
    const direct = execution({ id: 'd1', proposalId: null });
    store.handle({ type: 'command-started', conversationId, execution: direct });
    expect(store.directRuns().map((run) => run.id)).toEqual(['d1']);
    store.handle({
      type: 'command-ended',
      conversationId,
      execution: { ...direct, status: 'completed', endedAt: '2025-01-01T00:00:03.000Z' },
    });
    expect(store.directRuns()).toEqual([]);
  });

  it('shows a queued command, then the same command running; a late queued answer does not undo it', () => {
    const store = openStore();
    const queued = execution({ id: 'd2', proposalId: null, status: 'queued' });
    store.handle({ type: 'command-queued', conversationId, execution: queued });
    expect(store.directRuns().map((run) => [run.id, run.status])).toEqual([['d2', 'queued']]);
    store.handle({
      type: 'command-started',
      conversationId,
      execution: execution({ id: 'd2', proposalId: null, status: 'running' }),
    });
    store.applyExecution(queued);
    expect(store.execution('d2')?.status).toBe('running');
    store.handle({
      type: 'command-ended',
      conversationId,
      execution: execution({
        id: 'd2',
        proposalId: null,
        status: 'cancelled',
        endedAt: '2025-01-01T00:00:02.000Z',
      }),
    });
    expect(store.directRuns()).toEqual([]);
  });

  it('batches output notifications until the scheduled flush', () => {
    const queued: (() => void)[] = [];
    const store = new TerminalStore({ schedule: (flush) => queued.push(flush) });
    store.open(conversationId);
    store.handle({ type: 'command-started', conversationId, execution: execution({ proposalId: null }) });
    let heard = 0;
    store.subscribeExecution('e1', () => heard++);
    for (const text of ['a', 'b', 'c'])
      store.handle({ type: 'command-output-delta', conversationId, executionId: 'e1', text });
    expect(heard).toBe(0);
    expect(queued).toHaveLength(1);
    queued[0]?.();
    expect(heard).toBe(1);
    expect(store.liveOutput('e1')?.text).toBe('abc');
  });
});
