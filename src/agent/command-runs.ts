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
import type { FileAction } from '../core/api/terminal-schemas.ts';
import { type ApprovalPolicy, decideApproval, decideFileActionApproval } from '../core/approval-policy.ts';
import type { ConversationSettings } from '../core/domain.ts';
import { ConflictError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { ShellElsewhereError } from '../core/shell-claims.ts';
import type { CommandResult, SandboxKind, ShellSession } from '../core/shell-session.ts';
import { outsideAnyAccount } from '../store/acting-account.ts';
import type { Execution } from '../store/executions.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';
import { ExecutionSteps, type WrittenStep } from './execution-steps.ts';
import { proposalUpdated, publishAll } from './proposal-status.ts';
import type { ShellSessions } from './shell-sessions.ts';

/** Applies a file action in a workspace (file-actions.ts); its outcome reads like a command's result. */
export interface FileActionRunner {
  apply(input: { conversationId: string; workspace: string; action: FileAction }): Promise<CommandResult>;
}

/** What each step did to the workspace (workspace-history.ts): told before and after every step that runs. */
export interface StepRecorder {
  beforeStep(conversationId: string): Promise<void>;
  afterStep(execution: Execution): Promise<void>;
}

export interface CommandRunsOptions {
  store: Store;
  events: EventBus;
  sessions: ShellSessions;
  files?: FileActionRunner;
  history?: StepRecorder;
  /** Output kept in the model's context per command, in characters (head and tail kept). */
  contextOutputChars?: number;
}

export interface QueuedRun {
  /** The execution as written when it joined the queue. */
  queued: Execution;
  /** Its end: ran, cancelled, or (a policy's) handed back to a person. Rejects when its shell cannot start. */
  done: Promise<Execution>;
}

/** What a command that never started because the server stopped says (its proposal waits for a person). */
const SERVER_STOPPED = 'the server stopped before it ran';

interface Turn {
  executionId: string;
  conversationId: string;
  proposalId: string | null;
  command: string;
  /** A file action to apply instead of running `command` (its summary); null for a command. */
  action: FileAction | null;
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
   * conversation's other commands. Throws, having written nothing, when no sandbox works, the proposal is
   * no longer waiting for a person (of two requests running it at once, one queues it and the other hears so),
   * or another server process on the database runs the conversation's shell (ShellElsewhereError).
   */
  async queue(input: {
    conversationId: string;
    proposal: Proposal | null;
    command: string;
    action?: FileAction | null;
    timeoutSeconds: number | undefined;
  }): Promise<QueuedRun> {
    const { store, sessions } = this.#options;
    this.#refuseWhenStopped();
    const conversation = await store.conversations.get(input.conversationId);
    const sandbox = await sessions.sandboxFor(conversation.settings);
    this.#refuseWhenStopped();
    const { proposal } = input;
    await sessions.reserve(input.conversationId);
    const action = input.action ?? null;
    const unchanged =
      proposal !== null &&
      input.command === proposal.command &&
      JSON.stringify(action) === JSON.stringify(proposal.action);
    const written = await this.#writeQueued({
      ...input,
      action,
      sandbox,
      approvedBy: 'human',
      approval: proposal === null ? null : unchanged ? 'approved' : 'edited',
    }).catch((error: unknown) => {
      sessions.unreserve(input.conversationId);
      throw error;
    });
    if ('taken' in written) {
      sessions.unreserve(input.conversationId);
      const { taken } = written;
      throw new ConflictError(`proposal ${taken.id} is ${taken.status}; only a proposed command can run`);
    }
    const { queued } = written;
    const done = this.#reserved(input.conversationId, () =>
      this.#takeTurn({
        executionId: queued.id,
        conversationId: input.conversationId,
        proposalId: input.proposal?.id ?? null,
        command: input.command,
        action,
        timeoutSeconds: input.timeoutSeconds,
        approval: 'human',
      }),
    );
    return { queued, done };
  }

  /**
   * A proposal the policy approved when its message arrived (judged then in `sandbox`). Queued at once; when
   * its turn comes it is judged again, and handed back to a person if the policy no longer lets it run. Null
   * when a person got to it first (ran or rejected it since it was proposed): theirs is the decision; and when
   * another server process runs the conversation's shell: it waits for a person, who runs it there.
   */
  async queueByPolicy(
    proposal: Proposal,
    at: { policy: ApprovalPolicy; sandbox: SandboxKind },
  ): Promise<QueuedRun | null> {
    const { sessions } = this.#options;
    this.#refuseWhenStopped();
    try {
      await sessions.reserve(proposal.conversationId);
    } catch (error) {
      if (error instanceof ShellElsewhereError) return null;
      throw error;
    }
    const written = await this.#writeQueued({
      conversationId: proposal.conversationId,
      proposal,
      command: proposal.command,
      action: proposal.action,
      sandbox: at.sandbox,
      approvedBy: `policy:${at.policy}`,
      approval: 'approved',
    }).catch((error: unknown) => {
      sessions.unreserve(proposal.conversationId);
      throw error;
    });
    if ('taken' in written) {
      sessions.unreserve(proposal.conversationId);
      return null;
    }
    const { queued } = written;
    const done = this.#reserved(proposal.conversationId, () =>
      this.#takeTurn({
        executionId: queued.id,
        conversationId: proposal.conversationId,
        proposalId: proposal.id,
        command: proposal.command,
        action: proposal.action,
        timeoutSeconds: proposal.timeoutSeconds ?? undefined,
        approval: 'policy',
      }),
    );
    return { queued, done };
  }

  /**
   * The server is stopping: nothing queued starts any more (each waits for a person again, as after a crash),
   * and nothing new is queued. Running commands end when their shells are closed. One that joins the queue
   * while this runs is handed back when its turn comes (`#run` checks again).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const executionId of [...this.#queued]) {
      const execution = await this.#options.store.executions.get(executionId);
      if (execution.status !== 'queued') continue;
      await this.#steps.handedBack(
        { executionId, conversationId: execution.conversationId, proposalId: execution.proposalId },
        SERVER_STOPPED,
      );
    }
  }

  #refuseWhenStopped(): void {
    if (this.#stopped) throw new ConflictError('the server is stopping; no command can start now');
  }

  /** Cancels the execution if it is queued, stops it if it runs; anything else is left as it is. */
  async interrupt(executionId: string): Promise<Execution> {
    const { store } = this.#options;
    const execution = await store.executions.get(executionId);
    if (execution.status === 'queued') {
      const cancelled = await this.#steps.cancelled({
        executionId,
        conversationId: execution.conversationId,
        proposalId: execution.proposalId,
      });
      if (cancelled !== null) return cancelled;
      // It started while the Interrupt was on its way: it is stopped below instead.
    }
    // Its controller exists from before it is marked running until it has ended.
    const controller = this.#running.get(executionId);
    if (controller === undefined && (await store.executions.get(executionId)).status === 'running') {
      // Running, but not here: in another server process on this database, which the claim names
      // (ShellElsewhereError), or in one that is gone, whose start-up recovery ends it.
      await this.#options.sessions.reserve(execution.conversationId);
      this.#options.sessions.unreserve(execution.conversationId);
    }
    controller?.abort();
    return store.executions.get(executionId);
  }

  /**
   * Writes the execution as queued, and takes its proposal from `proposed` (`approval`: to `approved` or
   * `edited`, then `queued`) in the same transaction. When the proposal was no longer proposed (someone else
   * ran or rejected it first) nothing is written, and `taken` is the proposal as it is now.
   */
  async #writeQueued(input: {
    conversationId: string;
    proposal: Proposal | null;
    command: string;
    action: FileAction | null;
    sandbox: SandboxKind;
    approvedBy: string;
    approval: 'approved' | 'edited' | null;
  }): Promise<{ queued: Execution } | { taken: Proposal }> {
    const { store, events } = this.#options;
    const { proposal } = input;
    const written = await store.transaction(async (): Promise<WrittenStep | { taken: Proposal }> => {
      if (proposal !== null) {
        const claim = await store.proposals.claim(proposal.id, {
          from: ['proposed'],
          status: input.approval ?? 'approved',
        });
        if (!claim.claimed) return { taken: claim.proposal };
      }
      const execution = await store.executions.queue({
        conversationId: input.conversationId,
        proposalId: proposal?.id ?? null,
        commandProposed: proposal?.command ?? null,
        commandRun: input.command,
        approvedBy: input.approvedBy,
        sandbox: input.sandbox,
        cwd: null,
        actionRun: input.action,
      });
      if (proposal === null) return { execution, announce: [] };
      await store.proposals.setStatus(proposal.id, 'queued');
      return { execution, announce: [await proposalUpdated(store, proposal.id)] };
    });
    if ('taken' in written) return written;
    const queued = written.execution;
    this.#queued.add(queued.id);
    events.publish({ type: 'command-queued', conversationId: input.conversationId, execution: queued });
    publishAll(events, written.announce);
    return { queued };
  }

  /** `#enqueue`, ending the command's reservation of the conversation's shell once it has run. */
  #reserved<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    const result = this.#enqueue(conversationId, task);
    const unreserve = () => this.#options.sessions.unreserve(conversationId);
    result.then(unreserve, unreserve);
    return result;
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
    const waiting = await store.executions.get(turn.executionId);
    // Cancelled while it waited (or the server is stopping, which handed it back).
    if (waiting.status !== 'queued') return waiting;
    if (this.#stopped) return this.#steps.handedBack(turn, SERVER_STOPPED);
    const conversation = await store.conversations.get(waiting.conversationId);
    if (turn.approval === 'policy') {
      // A first judgement before any shell starts for it (a host shell runs the startup script on the host).
      const sandbox = await sessions.sandboxFor(conversation.settings).catch(() => 'host' as const);
      const refusal = policyRefusal(turn, conversation.settings, sandbox);
      if (refusal !== null) return this.#steps.handedBack(turn, `not run by itself: ${refusal}`);
    }
    if (turn.action !== null) return this.#applyAction(turn, turn.action);
    let session: ShellSession;
    let sandbox: SandboxKind;
    // Read again: the settings may have changed while the first judgement waited.
    const current = await store.conversations.get(conversation.id);
    const stillWaiting = await store.executions.get(turn.executionId);
    if (stillWaiting.status !== 'queued') return stillWaiting;
    try {
      const opened = await sessions.get(
        current.id,
        current.settings,
        current.startupScript,
        current.ownerAccountId,
      );
      ({ session, sandbox } = opened);
      // Starting the shell (and its startup script) is part of waiting: the command is not running yet. The
      // shell outlives this request and serves others' commands: its process callbacks must not carry this
      // request's account (acting-account.ts), so it starts outside it.
      await outsideAnyAccount(() => session.start());
    } catch (error) {
      return this.#steps.failedToStart(turn, error);
    }

    // Registered before it is marked running, so an Interrupt that finds it running can always stop it.
    const controller = new AbortController();
    this.#running.set(turn.executionId, controller);
    try {
      const { execution, isolated } = await this.#start(turn, sandbox);
      if (execution.status !== 'running') return execution;
      // From the judgement to run() nothing but the start's own transaction is awaited: what is judged and
      // written is what the shell runs.
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
      await this.#beforeStep(turn.conversationId);
      const result = await (isolated
        ? session.runIsolated(turn.command, options)
        : session.run(turn.command, options)
      ).catch((error: unknown) => couldNotRun(error));
      return await this.#afterStep(await this.#steps.finished(execution, turn, result));
    } finally {
      this.#running.delete(turn.executionId);
    }
  }

  /**
   * A file action takes its turn in the conversation's queue like a command, so it never lands in the middle
   * of one, but needs no shell: it is applied to the workspace's files from here (file-actions.ts confines it).
   */
  async #applyAction(turn: Turn, action: FileAction): Promise<Execution> {
    const { store, sessions, files } = this.#options;
    const conversation = await store.conversations.get(turn.conversationId);
    let sandbox: SandboxKind;
    let workspace: string;
    try {
      sandbox = await sessions.sandboxFor(conversation.settings);
      workspace = sessions.workspaceFor(conversation.id, conversation.settings, conversation.ownerAccountId);
      if (files === undefined) throw new Error('file actions are not available in this server');
    } catch (error) {
      return this.#steps.failedToStart(turn, error);
    }
    const controller = new AbortController();
    this.#running.set(turn.executionId, controller);
    try {
      const { execution } = await this.#start(turn, sandbox);
      if (execution.status !== 'running') return execution;
      await this.#beforeStep(turn.conversationId);
      const result = await files
        .apply({ conversationId: turn.conversationId, workspace, action })
        .catch((error: unknown) => couldNotRun(error));
      return await this.#afterStep(await this.#steps.finished(execution, turn, result));
    } finally {
      this.#running.delete(turn.executionId);
    }
  }

  /**
   * The workspace's record around a step (its checkpoints, its test run). A failure there must not change
   * what the step did or stop the loop: the step stands, and the failure is logged.
   */
  async #beforeStep(conversationId: string): Promise<void> {
    await this.#options.history?.beforeStep(conversationId).catch((error: unknown) => {
      console.error(`no checkpoint before a step of ${conversationId}: ${(error as Error).message}`);
    });
  }

  async #afterStep(execution: Execution): Promise<Execution> {
    await this.#options.history?.afterStep(execution).catch((error: unknown) => {
      console.error(`no checkpoint after execution ${execution.id}: ${(error as Error).message}`);
    });
    return execution;
  }

  /**
   * The last judgement and the running mark, in one transaction under the conversation's lock: a settings
   * change, an Interrupt or the server's stop lands wholly before it (and the command does not start) or
   * after it (and finds it running). The execution is not `running` when it does not start: it had left the
   * queue, or is handed back now.
   */
  async #start(turn: Turn, sandbox: SandboxKind): Promise<{ execution: Execution; isolated: boolean }> {
    const { store, events } = this.#options;
    let isolated = false;
    const written = await store.transaction(async (): Promise<WrittenStep> => {
      const { queued, now } = await this.#steps.stillQueued(turn);
      if (queued === null) return { execution: now, announce: [] };
      if (this.#stopped) return this.#steps.writeHandedBack(turn, SERVER_STOPPED);
      let approvedBy = 'human';
      if (turn.approval === 'policy') {
        const { settings } = await store.conversations.get(turn.conversationId);
        const refusal = policyRefusal(turn, settings, sandbox);
        if (refusal !== null) return this.#steps.writeHandedBack(turn, `not run by itself: ${refusal}`);
        const policy = settings.approvalPolicy ?? 'ask';
        approvedBy = `policy:${policy}`;
        isolated = policy === 'read-only';
      }
      return this.#steps.writeRunning(turn, { sandbox, approvedBy });
    });
    publishAll(events, written.announce);
    return { execution: written.execution, isolated };
  }
}

/** Why the policy would not run this command (or file action) by itself now, or null when it would. */
function policyRefusal(
  turn: Pick<Turn, 'command' | 'action'>,
  settings: ConversationSettings,
  sandbox: SandboxKind,
): string | null {
  const policy = settings.approvalPolicy ?? 'ask';
  // A sandbox the person chose and the one the shell has must both allow it (they differ only mid-change).
  for (const where of new Set([sandbox, settings.sandbox ?? sandbox])) {
    const decision =
      turn.action === null
        ? decideApproval({ command: turn.command, policy, sandbox: where })
        : decideFileActionApproval({ tool: turn.action.tool, policy, sandbox: where });
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
