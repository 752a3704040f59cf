import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import type { Store } from './store.ts';

async function ranCommand(store: Store) {
  const conversation = await store.conversations.create({ title: 'Records' });
  const execution = await store.executions.start({
    conversationId: conversation.id,
    proposalId: null,
    commandProposed: null,
    commandRun: 'npm test',
    approvedBy: 'human',
    sandbox: 'bwrap',
    cwd: null,
  });
  return { conversation, execution };
}

describeEachEngine('checkpoints, test runs and file actions (schema 10)', (engine) => {
  it('keeps checkpoints in order, finds the first and latest per workspace, and refuses to delete one', async () => {
    const store = await engine.openStore();
    const { conversation, execution } = await ranCommand(store);
    const base = {
      conversationId: conversation.id,
      workspace: '/w',
      restoredCheckpointId: null,
      changedFiles: 0,
      insertions: 0,
      deletions: 0,
      skipped: [],
    };
    const baseline = await store.checkpoints.create({
      ...base,
      executionId: null,
      kind: 'baseline',
      commit: 'a'.repeat(40),
      parentCommit: null,
    });
    const step = await store.checkpoints.create({
      ...base,
      executionId: execution.id,
      kind: 'step',
      commit: 'b'.repeat(40),
      parentCommit: 'a'.repeat(40),
      changedFiles: 2,
      insertions: 3,
      deletions: 1,
      skipped: [{ path: 'big.bin', reason: 'larger than 10 MiB' }],
    });
    expect((await store.checkpoints.forConversation(conversation.id)).map((c) => c.id)).toEqual([
      baseline.id,
      step.id,
    ]);
    expect((await store.checkpoints.first(conversation.id, '/w'))?.id).toBe(baseline.id);
    expect((await store.checkpoints.latest(conversation.id, '/w'))?.id).toBe(step.id);
    expect(await store.checkpoints.latest(conversation.id, '/elsewhere')).toBeNull();
    expect(await store.checkpoints.forExecution(execution.id)).toEqual(step);
    expect(step.skipped).toEqual([{ path: 'big.bin', reason: 'larger than 10 MiB' }]);
    await expect(
      store.database.db.deleteFrom('checkpoints').where('id', '=', step.id).execute(),
    ).rejects.toThrow(/never deleted/);
  });

  it('keeps one test run per execution, the newest first for the guard, and refuses to delete one', async () => {
    const store = await engine.openStore();
    const { conversation, execution } = await ranCommand(store);
    expect(await store.testRuns.latest(conversation.id)).toBeNull();
    const run = await store.testRuns.create({
      conversationId: conversation.id,
      executionId: execution.id,
      status: 'failed',
      runner: 'vitest',
      passed: 3,
      failed: 1,
      skipped: 0,
    });
    expect(await store.testRuns.latest(conversation.id)).toEqual(run);
    await expect(
      store.testRuns.create({
        ...run,
        status: 'passed',
        runner: null,
        passed: null,
        failed: null,
        skipped: null,
      }),
    ).rejects.toThrow();
    await expect(store.database.db.deleteFrom('test_runs').execute()).rejects.toThrow(/never deleted/);
  });

  it('stores a file proposal’s action and warning, and the action an execution applied', async () => {
    const store = await engine.openStore();
    const { conversation } = await ranCommand(store);
    const message = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'An edit',
    });
    const action = {
      tool: 'edit_file' as const,
      path: 'src/a.ts',
      edits: [{ oldText: 'a', newText: 'b' }],
    };
    const proposal = await store.proposals.create({
      conversationId: conversation.id,
      messageId: message.id,
      position: 0,
      toolCallId: 'call_1',
      command: 'edit_file src/a.ts',
      timeoutSeconds: null,
      action,
      testEditWarning: true,
    });
    expect(proposal).toMatchObject({ kind: 'edit_file', action, testEditWarning: true });
    const applied = { ...action, edits: [{ oldText: 'a', newText: 'c' }] };
    const execution = await store.executions.queue({
      conversationId: conversation.id,
      proposalId: proposal.id,
      commandProposed: proposal.command,
      commandRun: proposal.command,
      approvedBy: 'human',
      sandbox: 'bwrap',
      cwd: null,
      actionRun: applied,
    });
    expect(execution.actionRun).toEqual(applied);
    const command = await store.proposals.create({
      conversationId: conversation.id,
      messageId: message.id,
      position: 1,
      toolCallId: null,
      command: 'ls',
      timeoutSeconds: null,
    });
    expect(command).toMatchObject({ kind: 'command', action: null, testEditWarning: false });
  });
});
