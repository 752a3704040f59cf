import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { NotFoundError } from '../core/errors.ts';
import { limitHit, resolveResourceLimits } from '../core/resource-limits.ts';
import type { NewExecution } from './executions.ts';
import type { Store } from './store.ts';

const ended = {
  status: 'completed' as const,
  exitCode: 153,
  output: 'bash: line 1: 7 File size limit exceeded\n',
  outputTruncated: false,
  outputBytes: 41,
  durationMs: 12,
  cwd: null,
};

async function command(store: Store, overrides: Partial<NewExecution> = {}): Promise<NewExecution> {
  const conversation = await store.conversations.create({ title: 'Limits' });
  return {
    conversationId: conversation.id,
    proposalId: null,
    commandProposed: null,
    commandRun: 'head -c 3M /dev/zero > big.bin',
    approvedBy: 'human',
    sandbox: 'bwrap',
    cwd: null,
    ...overrides,
  };
}

describeEachEngine('executions', (engine) => {
  describe('the limit an execution ran into', () => {
    it('is kept as data when it ends and read back after the database is reopened', async () => {
      const store = await engine.openStore();
      const hit = limitHit('file-size', resolveResourceLimits({ fileSizeMiB: 1 }));
      const execution = await store.executions.start(await command(store));
      expect(execution.limitHit).toBeNull();

      expect((await store.executions.finish(execution.id, { ...ended, limitHit: hit })).limitHit).toEqual(
        hit,
      );
      await store.close();
      const reopened = await engine.openStore({ reopen: store });
      expect((await reopened.executions.get(execution.id)).limitHit).toEqual({
        limit: 'file-size',
        value: '1 MiB',
        message:
          "stopped: the sandbox's file size limit (1 MiB) was reached — raise limits.fileSizeMiB in the conversation's settings",
      });
    });

    it('is null for a command that hit none', async () => {
      const store = await engine.openStore();
      const execution = await store.executions.start(await command(store));
      expect((await store.executions.finish(execution.id, { ...ended, limitHit: null })).limitHit).toBeNull();
    });

    it('is null for executions written before the schema had it', async () => {
      const older = await engine.openStore({ targetVersion: 5 });
      const at = new Date().toISOString();
      await older.database.db
        .insertInto('conversations')
        .values({ id: 'c1', title: 'Before limits were kept', created_at: at, updated_at: at })
        .execute();
      await older.database.db
        .insertInto('executions')
        .values({
          id: 'e1',
          conversation_id: 'c1',
          command_run: 'ls',
          status: 'completed',
          exit_code: 0,
          sandbox: 'bwrap',
          started_at: at,
          ended_at: at,
        })
        .execute();
      await older.close();

      const store = await engine.openStore({ reopen: older });
      expect(await store.executions.get('e1')).toMatchObject({ commandRun: 'ls', limitHit: null });
    });
  });

  describe('the queue', () => {
    it('starts only a queued execution: a cancel that came first stays', async () => {
      const store = await engine.openStore();
      const queued = await store.executions.queue(await command(store, { sandbox: 'docker' }));
      expect(queued).toMatchObject({ status: 'queued', sandbox: 'docker', endedAt: null });

      expect((await store.executions.cancel(queued.id)).status).toBe('cancelled');
      const after = await store.executions.markRunning(queued.id, { sandbox: 'bwrap', approvedBy: 'human' });
      expect(after).toMatchObject({ status: 'cancelled', sandbox: 'docker' });
    });

    it('records where and by whom a queued execution starts running', async () => {
      const store = await engine.openStore();
      const queued = await store.executions.queue(await command(store, { approvedBy: 'policy:read-only' }));
      const running = await store.executions.markRunning(queued.id, {
        sandbox: 'bwrap',
        approvedBy: 'policy:ask',
      });
      expect(running).toMatchObject({ status: 'running', sandbox: 'bwrap' });
      // A cancel arriving after it started changes nothing: only the shell's end can end it.
      expect((await store.executions.cancel(queued.id)).status).toBe('running');
    });
  });

  describe('after a crash', () => {
    it('cancels what waited, interrupts what ran, and leaves ended ones alone', async () => {
      const store = await engine.openStore();
      const input = await command(store);
      const waiting = await store.executions.queue(input);
      const running = await store.executions.start(input);
      const done = await store.executions.start(input);
      await store.executions.finish(done.id, { ...ended, limitHit: null });

      expect(await store.executions.markRunningInterrupted()).toBe(2);
      expect((await store.executions.get(waiting.id)).status).toBe('cancelled');
      expect((await store.executions.get(running.id)).status).toBe('interrupted');
      expect(await store.executions.get(done.id)).toMatchObject({ status: 'completed', exitCode: 153 });
      expect(await store.executions.markRunningInterrupted()).toBe(0);
    });
  });

  describe('where a reopened shell starts', () => {
    it('is the folder of the latest ended command that reported one', async () => {
      const store = await engine.openStore();
      const input = await command(store);
      expect(await store.executions.lastCwd(input.conversationId)).toBeNull();
      const first = await store.executions.start(input);
      await store.executions.finish(first.id, { ...ended, cwd: '/work/a', limitHit: null });
      const second = await store.executions.start(input);
      await store.executions.finish(second.id, { ...ended, cwd: '/work/b', limitHit: null });
      // One that reported no folder keeps the one it started in, and does not hide the last known one.
      const third = await store.executions.start(input);
      expect((await store.executions.finish(third.id, { ...ended, limitHit: null })).cwd).toBeNull();
      // Still running: where it will end is not known yet.
      await store.executions.start({ ...input, cwd: '/elsewhere' });

      expect(await store.executions.lastCwd(input.conversationId)).toBe('/work/b');
    });
  });

  it('links the message that carries the result, and reports an unknown id as not found', async () => {
    const store = await engine.openStore();
    const input = await command(store);
    const execution = await store.executions.start(input);
    const message = await store.messages.append(input.conversationId, {
      role: 'user',
      author: 'terminal',
      content: 'ok',
    });
    expect((await store.executions.linkResult(execution.id, message.id)).resultMessageId).toBe(message.id);
    await expect(store.executions.get('nope')).rejects.toThrow(NotFoundError);
  });
});
