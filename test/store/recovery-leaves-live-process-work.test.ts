/**
 * Start-up recovery on a PostgreSQL database shared by several server processes (issue 10 item 4): a process
 * that starts ends the model calls, drafts, commands and proposals of processes that are gone, and leaves
 * those of a process that still holds its liveness lock alone. Without the owner column and the lock test,
 * every running row would be ended, a live process's included.
 */
import { describe, expect, it } from 'vitest';
import { processLockName } from '../../src/store/process-liveness.ts';
import { Store } from '../../src/store/store.ts';
import { requirement } from '../support/environment.ts';
import { connectRaw, POSTGRES_REQUIREMENT, postgresAvailability, usePostgres } from '../support/postgres.ts';

const ready = requirement(POSTGRES_REQUIREMENT, postgresAvailability().available);

/** What one process left running: a streaming answer with its call, a running and a queued command. */
async function leaveRunning(store: Store) {
  const conversation = await store.conversations.create({ title: 'work' });
  const answer = await store.messages.append(conversation.id, {
    role: 'assistant',
    author: 'model',
    status: 'streaming',
  });
  const call = await store.modelCalls.create({
    conversationId: conversation.id,
    messageId: answer.id,
    provider: 'test',
    model: 'm',
    request: '{}',
  });
  await store.messages.setModelCall(answer.id, call.id);
  const proposed = await store.messages.append(conversation.id, {
    role: 'assistant',
    author: 'model',
    content: '```sh\nls\n```',
  });
  const proposal = await store.proposals.create({
    conversationId: conversation.id,
    messageId: proposed.id,
    position: 0,
    toolCallId: null,
    command: 'sleep 100',
    timeoutSeconds: null,
  });
  const command = {
    conversationId: conversation.id,
    commandRun: 'sleep 100',
    approvedBy: 'human',
    sandbox: 'bwrap',
  };
  const running = await store.executions.queue({
    ...command,
    proposalId: proposal.id,
    commandProposed: 'sleep 100',
    cwd: null,
  });
  await store.executions.markRunning(running.id, { sandbox: 'bwrap', approvedBy: 'human' });
  await store.proposals.setStatus(proposal.id, 'running');
  const queued = await store.executions.queue({
    ...command,
    proposalId: null,
    commandProposed: null,
    cwd: null,
  });
  return { answer: answer.id, call: call.id, proposal: proposal.id, running: running.id, queued: queued.id };
}

async function statuses(store: Store, work: Awaited<ReturnType<typeof leaveRunning>>) {
  return {
    answer: (await store.messages.get(work.answer)).status,
    call: (await store.modelCalls.get(work.call)).status,
    proposal: (await store.proposals.get(work.proposal)).status,
    running: (await store.executions.get(work.running)).status,
    queued: (await store.executions.get(work.queued)).status,
  };
}

async function recover(store: Store): Promise<void> {
  await store.transaction(async () => {
    await store.modelCalls.markRunningInterrupted('the server stopped');
    await store.messages.finishAbandonedDrafts();
  });
  await store.transaction(async () => {
    await store.executions.markRunningInterrupted();
    await store.proposals.markRunningInterrupted();
  });
}

describe.skipIf(!ready)('start-up recovery on a shared PostgreSQL database', () => {
  const server = usePostgres();

  it("ends a gone process's running work and leaves a live one's alone", async () => {
    const location = await server().createDatabase();
    const alive = await Store.open(location, { serverProcess: 'host-a:1:alive' });
    const gone = await Store.open(location, { serverProcess: 'host-b:2:gone' });
    const starting = await Store.open(location, { serverProcess: 'host-c:3:starting' });
    // The live process's own connection holds its lock, as server/shared-database.ts does.
    const session = await connectRaw(location);
    try {
      await session.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        processLockName('host-a:1:alive'),
      ]);
      const aliveWork = await leaveRunning(alive);
      const goneWork = await leaveRunning(gone);

      await recover(starting);

      expect(await statuses(starting, aliveWork)).toEqual({
        answer: 'streaming',
        call: 'running',
        proposal: 'running',
        running: 'running',
        queued: 'queued',
      });
      expect(await statuses(starting, goneWork)).toEqual({
        answer: 'error',
        call: 'error',
        proposal: 'interrupted',
        running: 'interrupted',
        queued: 'cancelled',
      });

      // Once its session ends, the process counts as gone, and the next start ends its work too.
      await session.end();
      await recover(starting);
      expect(await statuses(starting, aliveWork)).toEqual({
        answer: 'error',
        call: 'error',
        proposal: 'interrupted',
        running: 'interrupted',
        queued: 'cancelled',
      });
    } finally {
      await session.end().catch(() => {});
      for (const store of [alive, gone, starting]) await store.close();
    }
  });

  it('ends running work from before schema 8, which names no process', async () => {
    const location = await server().createDatabase();
    const store = await Store.open(location);
    try {
      const work = await leaveRunning(store);
      await recover(store);
      expect(await statuses(store, work)).toMatchObject({ call: 'error', running: 'interrupted' });
    } finally {
      await store.close();
    }
  });
});
