import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../core/approval-policy.ts';
import { EventBus } from '../core/event-bus.ts';
import type { CommandResult, SandboxKind, ShellSession } from '../core/shell-session.ts';
import { Store } from '../store/store.ts';
import { CommandRuns } from './command-runs.ts';
import type { ShellSessions } from './shell-sessions.ts';

/** A shell that records which entry point ran each command: the persistent shell or the isolated one. */
function recordingSessions(sandbox: SandboxKind, hold: Promise<void> = Promise.resolve()) {
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
    start: async () => ({ startup: null, durationMs: 0 }),
    run: async (command: string) => {
      calls.push([command, 'run']);
      await hold;
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
  } as unknown as ShellSessions;
  return { sessions, calls };
}

describe('CommandRuns', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mp-command-runs-'));
    store = Store.open(join(dir, 'mp.db'));
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function proposalIn(policy: ApprovalPolicy, command: string) {
    const conversation = store.conversations.create({ settings: { approvalPolicy: policy } });
    const message = store.messages.append(conversation.id, {
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
    const proposal = proposalIn('read-only', 'ls');
    const ended = await runs.queueByPolicy(proposal, { policy: 'read-only', sandbox: 'bwrap' }).done;
    expect(calls).toEqual([['ls', 'runIsolated']]);
    expect(ended.status).toBe('completed');
  });

  it('runs what a person approved, and what the all policy approved, in the persistent shell', async () => {
    const { sessions, calls } = recordingSessions('bwrap');
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const everything = proposalIn('all', 'make');
    await runs.queueByPolicy(everything, { policy: 'all', sandbox: 'bwrap' }).done;
    const person = proposalIn('read-only', 'ls');
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
    const { sessions, calls } = recordingSessions('bwrap');
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = proposalIn('read-only', 'ls');
    const queued = runs.queueByPolicy(proposal, { policy: 'read-only', sandbox: 'bwrap' });
    expect(store.proposals.get(proposal.id).status).toBe('queued');
    store.conversations.update(proposal.conversationId, { settings: { approvalPolicy: 'ask' } });
    expect(await queued.done).toMatchObject({ status: 'cancelled' });
    expect(calls).toEqual([]);
    expect(store.proposals.get(proposal.id)).toMatchObject({
      status: 'proposed',
      reason: 'not run by itself: the conversation asks before every command',
    });
  });

  it('starts nothing queued once the server stops: each waits for a person again', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { sessions, calls } = recordingSessions('bwrap', held);
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const first = proposalIn('all', 'make');
    const second = store.proposals.create({
      conversationId: first.conversationId,
      messageId: first.messageId,
      position: 1,
      toolCallId: null,
      command: 'make install',
      timeoutSeconds: null,
    });
    const running = runs.queueByPolicy(first, { policy: 'all', sandbox: 'bwrap' });
    const waiting = runs.queueByPolicy(second, { policy: 'all', sandbox: 'bwrap' });
    while (calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    runs.stop();
    release();
    expect(await running.done).toMatchObject({ status: 'completed' });
    expect(await waiting.done).toMatchObject({ status: 'cancelled' });
    expect(calls).toEqual([['make', 'run']]);
    expect(store.proposals.get(second.id)).toMatchObject({
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
    const { sessions } = recordingSessions('bwrap', gone);
    const runs = new CommandRuns({ store, events: new EventBus(), sessions });
    const proposal = proposalIn('all', 'make');
    const ended = await runs.queueByPolicy(proposal, { policy: 'all', sandbox: 'bwrap' }).done;
    expect(ended).toMatchObject({ status: 'failed', exitCode: null });
    expect(ended.output).toContain('the bwrap shell session is closed');
    expect(store.proposals.get(proposal.id).status).toBe('failed');
  });
});
