/**
 * Running a conversation's commands, one at a time, in its persistent shell. Every command waits its turn in
 * a queue of its own conversation (as `queued`), so an Interrupt can name the command it is meant for: a
 * queued one is cancelled and never runs, a running one is stopped through its own abort signal, never
 * whatever happens to run at that moment (issue 7, item 8).
 *
 * A command the approval policy let through when its message arrived is judged again when its turn comes,
 * with the conversation's policy and sandbox as they are then, read just before the shell runs it: switching
 * the sandbox to the host between two proposals must not run the second on the host by itself (issue 7,
 * item 7). Run by the read-only policy, it goes through `runIsolated`, so functions and aliases earlier
 * commands left in the shell cannot stand in for the command that was judged.
 */
import { type ApprovalPolicy, decideApproval } from '../core/approval-policy.ts';
import type { ConversationSettings } from '../core/domain.ts';
import { ConflictError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { CommandResult, SandboxKind, ShellSession } from '../core/shell-session.ts';
import type { Execution } from '../store/executions.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';
import { ExecutionSteps } from './execution-steps.ts';
import { announceProposal, setProposalStatus } from './proposal-status.ts';
import type { ShellSessions } from './shell-sessions.ts';

export interface CommandRunsOptions {
  store: Store;
  events: EventBus;
  sessions: ShellSessions;
  /** Output kept in the model's context per command, in characters (head and tail kept). */
  contextOutputChars?: number;
}

export interface QueuedRun {
  /** The execution as written when it joined the queue. */
  queued: Execution;
  /** Its end: ran, cancelled, or (a policy's) handed back to a person. Rejects when its shell cannot start. */
  done: Promise<Execution>;
}

interface Turn {
  executionId: string;
  proposalId: string | null;
  command: string;
  timeoutSeconds: number | undefined;
  /** `human` runs what a person approved; `policy` is judged again when its turn comes. */
  approval: 'human' | 'policy';
}

export class CommandRuns {
  readonly #options: CommandRunsOptions;
  readonly #steps: ExecutionSteps;
  /** The end of each conversation's queue. */
  readonly #tails = new Map<string, Promise<unknown>>();
  /** How to stop each running execution, and only it. */
  readonly #running = new Map<string, AbortController>();
  /** Executions waiting their turn. */
  readonly #queued = new Set<string>();
  #stopped = false;

  constructor(options: CommandRunsOptions) {
    this.#options = options;
    this.#steps = new ExecutionSteps(options);
  }

  /**
   * A command a person approved (a proposal, edited or not) or typed (`proposal: null`), queued behind the
   * conversation's other commands. Throws, having written nothing, when no sandbox works or the proposal is
   * no longer waiting for a person.
   */
  async queue(input: {
    conversationId: string;
    proposal: Proposal | null;
    command: string;
    timeoutSeconds: number | undefined;
  }): Promise<QueuedRun> {
    const { store, events, sessions } = this.#options;
    this.#refuseWhenStopped();
    const conversation = store.conversations.get(input.conversationId);
    const sandbox = await sessions.sandboxFor(conversation.settings);
    this.#refuseWhenStopped();
    if (input.proposal !== null) {
      const now = store.proposals.get(input.proposal.id);
      if (now.status !== 'proposed') {
        throw new ConflictError(`proposal ${now.id} is ${now.status}; only a proposed command can run`);
      }
      setProposalStatus(store, events, {
        proposalId: now.id,
        status: input.command === now.command ? 'approved' : 'edited',
      });
    }
    const queued = this.#writeQueued({ ...input, sandbox, approvedBy: 'human' });
    const done = this.#enqueue(input.conversationId, () =>
      this.#takeTurn({
        executionId: queued.id,
        proposalId: input.proposal?.id ?? null,
        command: input.command,
        timeoutSeconds: input.timeoutSeconds,
        approval: 'human',
      }),
    );
    return { queued, done };
  }

  /**
   * A proposal the policy approved when its message arrived (judged then in `sandbox`). Queued at once; when
   * its turn comes it is judged again, and handed back to a person if the policy no longer lets it run.
   */
  queueByPolicy(proposal: Proposal, at: { policy: ApprovalPolicy; sandbox: SandboxKind }): QueuedRun {
    const { store, events } = this.#options;
    this.#refuseWhenStopped();
    setProposalStatus(store, events, { proposalId: proposal.id, status: 'approved' });
    const queued = this.#writeQueued({
      conversationId: proposal.conversationId,
      proposal,
      command: proposal.command,
      sandbox: at.sandbox,
      approvedBy: `policy:${at.policy}`,
    });
    const done = this.#enqueue(proposal.conversationId, () =>
      this.#takeTurn({
        executionId: queued.id,
        proposalId: proposal.id,
        command: proposal.command,
        timeoutSeconds: proposal.timeoutSeconds ?? undefined,
        approval: 'policy',
      }),
    );
    return { queued, done };
  }

  /**
   * The server is stopping: nothing queued starts any more (each waits for a person again, as after a crash),
   * and nothing new is queued. Running commands end when their shells are closed.
   */
  stop(): void {
    this.#stopped = true;
    for (const executionId of [...this.#queued]) {
      const execution = this.#options.store.executions.get(executionId);
      if (execution.status !== 'queued') continue;
      this.#steps.handedBack(
        { executionId, proposalId: execution.proposalId },
        'the server stopped before it ran',
      );
    }
  }

  #refuseWhenStopped(): void {
    if (this.#stopped) throw new ConflictError('the server is stopping; no command can start now');
  }

  /** Cancels the execution if it is queued, stops it if it runs; anything else is left as it is. */
  interrupt(executionId: string): Execution {
    const { store } = this.#options;
    const execution = store.executions.get(executionId);
    if (execution.status === 'queued') return this.#steps.cancelled(execution);
    if (execution.status === 'running') this.#running.get(executionId)?.abort();
    return store.executions.get(executionId);
  }

  #writeQueued(input: {
    conversationId: string;
    proposal: Proposal | null;
    command: string;
    sandbox: SandboxKind;
    approvedBy: string;
  }): Execution {
    const { store, events } = this.#options;
    const queued = store.transaction(() => {
      const execution = store.executions.queue({
        conversationId: input.conversationId,
        proposalId: input.proposal?.id ?? null,
        commandProposed: input.proposal?.command ?? null,
        commandRun: input.command,
        approvedBy: input.approvedBy,
        sandbox: input.sandbox,
        cwd: null,
      });
      if (input.proposal !== null) store.proposals.setStatus(input.proposal.id, 'queued');
      return execution;
    });
    this.#queued.add(queued.id);
    events.publish({ type: 'command-queued', conversationId: input.conversationId, execution: queued });
    if (input.proposal !== null) announceProposal(store, events, store.proposals.get(input.proposal.id));
    return queued;
  }

  /** Runs `task` once every task queued before it in the conversation has ended. */
  #enqueue<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(conversationId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.#tails.get(conversationId) === tail) this.#tails.delete(conversationId);
    });
    return result;
  }

  async #takeTurn(turn: Turn): Promise<Execution> {
    try {
      return await this.#run(turn);
    } finally {
      this.#queued.delete(turn.executionId);
    }
  }

  async #run(turn: Turn): Promise<Execution> {
    const { store, sessions } = this.#options;
    const waiting = store.executions.get(turn.executionId);
    // Cancelled while it waited (or the server is stopping, which handed it back).
    if (waiting.status !== 'queued') return waiting;
    const conversation = store.conversations.get(waiting.conversationId);
    if (turn.approval === 'policy') {
      // A first judgement before any shell starts for it (a host shell runs the startup script on the host).
      const sandbox = await sessions.sandboxFor(conversation.settings).catch(() => 'host' as const);
      const refusal = policyRefusal(turn.command, conversation.settings, sandbox);
      if (refusal !== null) return this.#steps.handedBack(turn, `not run by itself: ${refusal}`);
    }
    let session: ShellSession;
    let sandbox: SandboxKind;
    // Read again: the settings may have changed while the first judgement waited.
    const current = store.conversations.get(conversation.id);
    if (store.executions.get(turn.executionId).status !== 'queued') {
      return store.executions.get(turn.executionId);
    }
    try {
      const opened = await sessions.get(current.id, current.settings, current.startupScript);
      ({ session, sandbox } = opened);
      // Starting the shell (and its startup script) is part of waiting: the command is not running yet.
      await session.start();
    } catch (error) {
      return this.#steps.failedToStart(turn, error);
    }

    // From here to run() nothing awaits: what is judged and written is what the shell runs.
    if (store.executions.get(turn.executionId).status !== 'queued') {
      return store.executions.get(turn.executionId);
    }
    let approvedBy = 'human';
    let isolated = false;
    if (turn.approval === 'policy') {
      const settings = store.conversations.get(conversation.id).settings;
      const refusal = policyRefusal(turn.command, settings, sandbox);
      if (refusal !== null) return this.#steps.handedBack(turn, `not run by itself: ${refusal}`);
      const policy = settings.approvalPolicy ?? 'ask';
      approvedBy = `policy:${policy}`;
      isolated = policy === 'read-only';
    }
    const controller = new AbortController();
    this.#running.set(turn.executionId, controller);
    try {
      const execution = this.#steps.running(turn, { sandbox, approvedBy });
      const options = {
        ...(turn.timeoutSeconds === undefined ? {} : { timeoutMs: turn.timeoutSeconds * 1000 }),
        signal: controller.signal,
        onOutput: (text: string) =>
          this.#options.events.publish({
            type: 'command-output-delta',
            conversationId: execution.conversationId,
            executionId: execution.id,
            text,
          }),
      };
      const result = await (isolated
        ? session.runIsolated(turn.command, options)
        : session.run(turn.command, options)
      ).catch((error: unknown) => couldNotRun(error));
      return this.#steps.finished(execution, turn, result);
    } finally {
      this.#running.delete(turn.executionId);
    }
  }
}

/** Why the policy would not run this command by itself now, or null when it would. */
function policyRefusal(command: string, settings: ConversationSettings, sandbox: SandboxKind): string | null {
  const policy = settings.approvalPolicy ?? 'ask';
  // A sandbox the person chose and the one the shell has must both allow it (they differ only mid-change).
  for (const where of new Set([sandbox, settings.sandbox ?? sandbox])) {
    const decision = decideApproval({ command, policy, sandbox: where });
    if (decision.decision !== 'auto-approve') return decision.reason;
  }
  return null;
}

/**
 * The session itself failed under the command (its shell could not restart, the server is closing it): the
 * command ends `failed` with the reason as its output, rather than staying `running` for ever.
 */
function couldNotRun(error: unknown): CommandResult {
  const output = `[the command could not run: ${error instanceof Error ? error.message : String(error)}]`;
  return {
    exitCode: null,
    output,
    truncated: false,
    outputBytes: Buffer.byteLength(output),
    cut: null,
    durationMs: 0,
    status: 'failed',
    cwd: '',
    shellRestarted: false,
  };
}
