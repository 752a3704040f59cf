import { describe, expect, it } from 'vitest';
import type { Checkpoint, TestRun } from '../api/workspace-api.ts';
import { WorkspaceStore } from './workspace-store.ts';

function checkpoint(id: string, executionId: string | null, kind: Checkpoint['kind'] = 'step'): Checkpoint {
  return {
    id,
    conversationId: 'c1',
    executionId,
    messageId: null,
    kind,
    workspace: '/w',
    commit: `commit-${id}`,
    parentCommit: null,
    restoredCheckpointId: null,
    changedFiles: 1,
    insertions: 1,
    deletions: 0,
    skipped: [],
    accountId: null,
    createdAt: `2026-12-02T00:00:0${id.at(-1)}Z`,
  };
}

function testRun(id: string, executionId: string, status: TestRun['status']): TestRun {
  return {
    id,
    conversationId: 'c1',
    executionId,
    status,
    runner: 'vitest',
    passed: 1,
    failed: status === 'failed' ? 1 : 0,
    skipped: 0,
    createdAt: `2026-12-02T00:00:0${id.at(-1)}Z`,
  };
}

describe('WorkspaceStore', () => {
  it('links a step checkpoint and a test run to the execution they followed', () => {
    const store = new WorkspaceStore();
    store.open('c1');
    store.load('c1', {
      checkpoints: [checkpoint('k1', null, 'baseline'), checkpoint('k2', 'e1')],
      testRuns: [testRun('t1', 'e1', 'failed')],
    });
    expect(store.snapshot.stepByExecution.get('e1')?.id).toBe('k2');
    expect(store.snapshot.testRunByExecution.get('e1')?.status).toBe('failed');
    expect(store.snapshot.stepByExecution.size).toBe(1);
  });

  it('adds what live events bring, in time order, and tells its listeners', () => {
    const store = new WorkspaceStore();
    store.open('c1');
    let heard = 0;
    store.subscribe(() => heard++);
    const before = store.snapshot.filesVersion;
    store.handle({ type: 'test-run-created', conversationId: 'c1', testRun: testRun('t2', 'e2', 'passed') });
    store.handle({ type: 'checkpoint-created', conversationId: 'c1', checkpoint: checkpoint('k3', 'e2') });
    // The list's answer arrives after the events: both are kept, one of each id.
    store.load('c1', { checkpoints: [checkpoint('k3', 'e2')], testRuns: [testRun('t1', 'e1', 'failed')] });
    expect(store.snapshot.testRuns.map((run) => run.id)).toEqual(['t1', 't2']);
    expect(store.snapshot.checkpoints.map((known) => known.id)).toEqual(['k3']);
    expect(store.snapshot.stepByExecution.get('e2')?.id).toBe('k3');
    expect(store.snapshot.filesVersion).toBeGreaterThan(before);
    expect(heard).toBe(3);
  });

  it('ignores other conversations, and forgets the previous one when another opens', () => {
    const store = new WorkspaceStore();
    store.open('c1');
    store.handle({ type: 'test-run-created', conversationId: 'c2', testRun: testRun('t1', 'e1', 'passed') });
    store.load('c2', { checkpoints: [checkpoint('k1', 'e1')], testRuns: [] });
    expect(store.snapshot.testRuns).toEqual([]);
    expect(store.snapshot.checkpoints).toEqual([]);
    store.handle({ type: 'test-run-created', conversationId: 'c1', testRun: testRun('t1', 'e1', 'passed') });
    store.open('c2');
    expect(store.snapshot.testRuns).toEqual([]);
  });

  it('counts a restore as a change of the files', () => {
    const store = new WorkspaceStore();
    store.open('c1');
    const before = store.snapshot.filesVersion;
    store.handle({ type: 'checkpoint-restored', conversationId: 'c1', checkpointId: 'k1' });
    expect(store.snapshot.filesVersion).toBe(before + 1);
  });
});
