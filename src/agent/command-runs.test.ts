import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import type { ApprovalPolicy } from '../core/approval-policy.ts';
import { EventBus } from '../core/event-bus.ts';
import type { CommandResult, SandboxKind, ShellSession } from '../core/shell-session.ts';
import type { Store } from '../store/store.ts';
import { CommandRuns, type QueuedRun } from './command-runs.ts';
import type { ShellSessions } from './shell-sessions.ts';

/**
 * A shell that records which entry point ran each command: the persistent shell or the isolated one.
 * `starting` holds its start (a command is still queued then), `running` holds each `run`.
 */
function recordingSessions(
  sandbox: SandboxKind,
  hold: { starting?: Promise<void>; running?: Promise<void> } = {},
) {
  const calls: [string, 'run' | 'runIsolated'][] = [];
  const result = (): CommandResult => ({
    exitCode: 0,
    output: '',
    truncated: false,
    outputBytes: 0,
    cut: null,
    durationMs: 1,
    status: 'completed',
    cwd: '/w',
    shellRestarted: false,
  });
  const session = {
    sandbox,
    workspace: '/w',
    start: async () => {
      await hold.starting;
      return { startup: null, durationMs: 0 };
    },
    run: async (command: string) => {
      calls.push([command, 'run']);
      await hold.running;
      return result();
    },
    runIsolated: async (command: string) => {
      calls.push([command, 'runIsolated']);
      return result();
    },
    interrupt: () => false,
    close: async () => undefined,
  } satisfies ShellSession;
  const sessions = {
    sandboxFor: async () => sandbox,
    get: async () => ({ session, sandbox, workspace: '/w' }),
    // One process: its claims on shells always hold (ShellSessions without `claims`).
    reserve: async () => undefined,
    unreserve: () => undefined,
  } as unknown as ShellSessions;
  return { sessions, calls };
}

/** A promise the test opens when it is ready. */
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((open) => {
    resolve = open;
  });
  return { promise, resolve };
}

/** The queued run, for a proposal the test knows nobody else has claimed. */
function queuedRun(queued: QueuedRun | null): QueuedRun {
  if (queued === null) throw new Error('the policy did not queue the proposal');
  return queued;
}

describeEachEngine('CommandRuns', (engine) => {
  let store: Store;

  beforeEach(async () => {
    store = await engine.openStore();
  });

  async function proposalIn(policy: ApprovalPolicy, command: string) {
    const conversation = await store.conversations.create({ settings: { approvalPolicy: policy } });
    const message = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: '',
    });
    return store.proposals.create({
      conversationId: conversation.id,
      messageId: message.id,
      position: 0,
      toolCallId: null,
      command,
      timeoutSeconds: null,
    });
  }

  it('runs what the read-only policy approved through runIsolated, which the shell’s functions cannot shadow', async () => {
    const { sessions, calls } = recordingSessions('bwrap');
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = await proposalIn('read-only', 'ls');
    const ended = await queuedRun(
      await runs.queueByPolicy(proposal, { policy: 'read-only', sandbox: 'bwrap' }),
    ).done;
    expect(calls).toEqual([['ls', 'runIsolated']]);
    expect(ended.status).toBe('completed');
  });

  it('runs what a person approved, and what the all policy approved, in the persistent shell', async () => {
    const { sessions, calls } = recordingSessions('bwrap');
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const everything = await proposalIn('all', 'make');
    await queuedRun(await runs.queueByPolicy(everything, { policy: 'all', sandbox: 'bwrap' })).done;
    const person = await proposalIn('read-only', 'ls');
    await (
      await runs.queue({
        conversationId: person.conversationId,
        proposal: person,
        command: 'ls -a',
        timeoutSeconds: undefined,
      })
    ).done;
    expect(calls).toEqual([
      ['make', 'run'],
      ['ls -a', 'run'],
    ]);
  });

  it('judges again with the policy of the moment: one changed to ask since the message came hands it back', async () => {
    const starting = gate();
    const { sessions, calls } = recordingSessions('bwrap', { starting: starting.promise });
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = await proposalIn('read-only', 'ls');
    const queued = queuedRun(await runs.queueByPolicy(proposal, { policy: 'read-only', sandbox: 'bwrap' }));
    expect((await store.proposals.get(proposal.id)).status).toBe('queued');
    await store.conversations.update(proposal.conversationId, { settings: { approvalPolicy: 'ask' } });
    starting.resolve();
    expect(await queued.done).toMatchObject({ status: 'cancelled' });
    expect(calls).toEqual([]);
    expect(await store.proposals.get(proposal.id)).toMatchObject({
      status: 'proposed',
      reason: 'not run by itself: the conversation asks before every command',
    });
  });

  it('starts nothing queued once the server stops: each waits for a person again', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { sessions, calls } = recordingSessions('bwrap', { running: held });
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const first = await proposalIn('all', 'make');
    const second = await store.proposals.create({
      conversationId: first.conversationId,
      messageId: first.messageId,
      position: 1,
      toolCallId: null,
      command: 'make install',
      timeoutSeconds: null,
    });
    const running = queuedRun(await runs.queueByPolicy(first, { policy: 'all', sandbox: 'bwrap' }));
    const waiting = queuedRun(await runs.queueByPolicy(second, { policy: 'all', sandbox: 'bwrap' }));
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await runs.stop();
    release();
    expect(await running.done).toMatchObject({ status: 'completed' });
    expect(await waiting.done).toMatchObject({ status: 'cancelled' });
    expect(calls).toEqual([['make', 'run']]);
    expect(await store.proposals.get(second.id)).toMatchObject({
      status: 'proposed',
      reason: 'the server stopped before it ran',
    });
    await expect(
      runs.queue({
        conversationId: first.conversationId,
        proposal: null,
        command: 'ls',
        timeoutSeconds: undefined,
      }),
    ).rejects.toThrow(/stopping/);
  });

  it('ends a command whose session failed under it as failed, saying why, instead of running for ever', async () => {
    const gone = Promise.reject(new Error('the bwrap shell session is closed'));
    gone.catch(() => undefined);
    const { sessions } = recordingSessions('bwrap', { running: gone });
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = await proposalIn('all', 'make');
    const ended = await queuedRun(await runs.queueByPolicy(proposal, { policy: 'all', sandbox: 'bwrap' }))
      .done;
    expect(ended).toMatchObject({ status: 'failed', exitCode: null });
    expect(ended.output).toContain('the bwrap shell session is closed');
    expect((await store.proposals.get(proposal.id)).status).toBe('failed');
  });

  it('queues a proposal once when two Runs of it arrive at once; the other hears it is taken', async () => {
    const { sessions, calls } = recordingSessions('bwrap');
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = await proposalIn('ask', 'make');
    const attempts = await Promise.allSettled(
      ['make', 'make -j2'].map((command) =>
        runs.queue({ conversationId: proposal.conversationId, proposal, command, timeoutSeconds: undefined }),
      ),
    );
    const queued = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
    const refused = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
    expect(queued).toHaveLength(1);
    expect(String(refused[0])).toMatch(/only a proposed command can run/);
    await queued[0]?.done;
    expect(calls).toHaveLength(1);
    expect((await store.proposals.get(proposal.id)).status).toBe('completed');
  });

  it('ends a queued command once when an Interrupt and the server’s stop reach it at once', async () => {
    const running = gate();
    const { sessions } = recordingSessions('bwrap', { running: running.promise });
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const first = await proposalIn('all', 'make');
    const second = await store.proposals.create({
      conversationId: first.conversationId,
      messageId: first.messageId,
      position: 1,
      toolCallId: null,
      command: 'make install',
      timeoutSeconds: null,
    });
    const busy = queuedRun(await runs.queueByPolicy(first, { policy: 'all', sandbox: 'bwrap' }));
    const waiting = queuedRun(await runs.queueByPolicy(second, { policy: 'all', sandbox: 'bwrap' }));
    await Promise.all([runs.interrupt(waiting.queued.id), runs.stop()]);
    running.resolve();
    await busy.done;
    const ended = await waiting.done;
    expect(ended.status).toBe('cancelled');
    // Whichever came first decides, wholly: the person's cancel (answered once) or the stop's hand-back (a
    // proposal waiting for a person, no answer). Never a cancel's answer on a proposal handed back.
    const proposal = await store.proposals.get(second.id);
    const answers = (await store.messages.path(first.conversationId)).filter((message) =>
      message.content.includes('make install'),
    );
    const cancelledByPerson = {
      status: 'interrupted',
      reason: 'cancelled by the user before it started',
      answers: [ended.resultMessageId],
    };
    const handedBack = { status: 'proposed', reason: 'the server stopped before it ran', answers: [] };
    expect([cancelledByPerson, handedBack]).toContainEqual({
      status: proposal.status,
      reason: proposal.reason,
      answers: answers.map((message) => message.id),
    });
  });
});
