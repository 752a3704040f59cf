import type { LiveEvent } from '../core/api/events.ts';
import type {
  ExecutionDto,
  FileAction,
  ProposalDto,
  TerminalPlaceDto,
} from '../core/api/terminal-schemas.ts';
import { decideApproval, decideFileActionApproval } from '../core/approval-policy.ts';
import type { Conversation, Message } from '../core/domain.ts';
import { ConflictError, InvalidRequestError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { fileActionSummary } from '../core/file-action-summary.ts';
import { proposalDrafts } from '../core/proposal-drafts.ts';
import { testEditWarning } from '../core/test-edit-warning.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';
import { appendRejection } from './command-answers.ts';
import { CommandRuns, type FileActionRunner, type QueuedRun, type StepRecorder } from './command-runs.ts';
import { proposalUpdated, proposalWithExecution, publishAll } from './proposal-status.ts';
import type { ShellSessions } from './shell-sessions.ts';

/** Statuses after which a proposal needs nothing more from anyone. */
const SETTLED = new Set<ProposalDto['status']>([
  'rejected',
  'completed',
  'failed',
  'timed-out',
  'interrupted',
]);

export interface TerminalOptions {
  store: Store;
  events: EventBus;
  sessions: ShellSessions;
  /** Applies file actions (absent: they fail, saying so). */
  files?: FileActionRunner;
  /** Checkpoints and test runs around each step. */
  history?: StepRecorder;
  /** Calls the model again with what the commands produced (the loop). */
  continueConversation: (conversationId: string) => Promise<unknown>;
  /** Output kept in the model's context per command, in characters (head and tail kept). */
  contextOutputChars?: number;
  /** Model turns in a row without a person's message before the loop stops by itself. */
  maxSteps?: number;
  /** How long `run` waits for a command before answering with its state so far. */
  answerWithinMs?: number;
}

/**
 * The terminal side of a conversation: commands proposed by a message become proposals; approved ones run
 * in the conversation's persistent shell; the output returns to the conversation as a message, and (with
 * "send to model") the model is called again, until it stops proposing, the person stops, or a step limit.
 */
export class Terminal {
  readonly #options: TerminalOptions;
  /** Work in flight (commands, proposals being made), so tests and shutdown can wait for it. */
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #runs: CommandRuns;
  /**
   * Messages whose proposals have already called the model again. Their last proposals can settle at once (a
   * command ends as a person rejects the other), and each then finds all of them settled: the loop goes on
   * once. Kept for the process's life, a few bytes per message, since a settled proposal never changes again.
   */
  readonly #continued = new Set<string>();

  constructor(options: TerminalOptions) {
    this.#options = options;
    this.#runs = new CommandRuns({
      store: options.store,
      events: options.events,
      sessions: options.sessions,
      ...(options.files === undefined ? {} : { files: options.files }),
      ...(options.history === undefined ? {} : { history: options.history }),
      ...(options.contextOutputChars === undefined ? {} : { contextOutputChars: options.contextOutputChars }),
    });
  }

  /** Where the conversation's commands run: its folder and the sandbox its settings resolve to. */
  async place(conversationId: string): Promise<TerminalPlaceDto> {
    const { settings, ownerAccountId } = await this.#options.store.conversations.get(conversationId);
    const workspace = this.#options.sessions.workspaceFor(conversationId, settings, ownerAccountId);
    const base = {
      workspace,
      sandboxChosen: settings.sandbox !== undefined,
      network: settings.network ?? false,
    };
    try {
      return { ...base, sandbox: await this.#options.sessions.sandboxFor(settings), problem: null };
    } catch (error) {
      return { ...base, sandbox: null, problem: (error as Error).message };
    }
  }

  /** Every proposal of a conversation with its latest execution, oldest first. */
  async list(conversationId: string): Promise<ProposalDto[]> {
    const { store } = this.#options;
    await store.conversations.get(conversationId);
    const proposals: ProposalDto[] = [];
    for (const proposal of await store.proposals.forConversation(conversationId)) {
      proposals.push(await this.#withExecution(proposal));
    }
    return proposals;
  }

  /**
   * Turns a message's commands into proposals: `run_command` tool calls, else fenced shell blocks, else,
   * when asked (`wholeText`: the original app's Run on an assistant message a person wrote), the whole text.
   * Auto-approved ones start at once.
   */
  proposeFrom(message: Message, options: { send: boolean; wholeText?: boolean }): Promise<ProposalDto[]> {
    return this.#track(this.#proposeFrom(message, options));
  }

  async #proposeFrom(
    message: Message,
    options: { send: boolean; wholeText?: boolean },
  ): Promise<ProposalDto[]> {
    const { store, events } = this.#options;
    if (message.role !== 'assistant' || message.deleted || message.status === 'streaming') return [];
    const drafts = proposalDrafts(message, options.wholeText ?? false);
    if (drafts.length === 0) return [];
    const conversation = await store.conversations.get(message.conversationId);
    // With no sandbox working, judge as on the host, where every command asks; running it will say why not.
    const sandbox = await this.#options.sessions
      .sandboxFor(conversation.settings)
      .catch(() => 'host' as const);
    const policy = conversation.settings.approvalPolicy ?? 'ask';
    const lastTestRun = await store.testRuns.latest(message.conversationId);
    const workspace = this.#workspaceOrNone(conversation);
    const created = await store.transaction(async () => {
      // Checked in the transaction that creates them, under the conversation's lock: of two calls for one
      // message (its turn ending, a person's Run), one makes the proposals and the other finds them.
      await store.database.lockConversation(message.conversationId);
      if ((await store.proposals.forMessage(message.id)).length > 0) return null;
      const proposals: Proposal[] = [];
      const announce: LiveEvent[] = [];
      for (const [position, draft] of drafts.entries()) {
        const proposal = await store.proposals.create({
          conversationId: message.conversationId,
          messageId: message.id,
          position,
          toolCallId: draft.toolCallId,
          command: draft.command,
          timeoutSeconds: draft.timeoutSeconds,
          action: draft.action,
          testEditWarning: testEditWarning({
            lastTestRunFailed: lastTestRun?.status === 'failed',
            action: draft.action,
            command: draft.command,
            patterns: conversation.settings.testFilePatterns,
            workspace,
          }),
          ...(draft.error === null ? {} : { status: 'rejected' as const, reason: draft.error }),
        });
        proposals.push(proposal);
        announce.push({
          type: 'proposal-created',
          conversationId: proposal.conversationId,
          proposal: await this.#withExecution(proposal),
        });
      }
      for (const proposal of proposals) {
        if (proposal.status === 'rejected')
          announce.push(await appendRejection(store, proposal, 'invalid-call'));
      }
      return { proposals, announce };
    });
    if (created === null) return [];
    publishAll(events, created.announce);
    const byPolicy: Promise<unknown>[] = [];
    for (const proposal of created.proposals) {
      if (proposal.status === 'rejected') continue;
      // A first judgement; one the policy lets through is judged again when its turn to run comes. A person
      // may have run or rejected it since it was announced: then the policy's decision is not written.
      const decision =
        proposal.action === null
          ? decideApproval({ command: proposal.command, policy, sandbox })
          : decideFileActionApproval({ tool: proposal.action.tool, policy, sandbox });
      if (decision.decision === 'auto-approve') {
        const queued = await this.#runs.queueByPolicy(proposal, { policy, sandbox });
        if (queued !== null) {
          byPolicy.push(this.#track(queued.done).catch((error: unknown) => console.error(error)));
        }
      } else if (decision.decision === 'reject') {
        await this.#rejectProposed(proposal.id, decision.reason, 'policy');
      }
    }
    await Promise.all(byPolicy);
    await this.#maybeContinue(message.id, options.send);
    const proposals: ProposalDto[] = [];
    for (const proposal of await store.proposals.forMessage(message.id)) {
      proposals.push(await this.#withExecution(proposal));
    }
    return proposals;
  }

  /**
   * Rejects a proposal still waiting for a person and answers it, in one transaction; false, having written
   * nothing, when it is no longer proposed (of a Run and a Reject at once, one wins and the other hears so).
   */
  async #rejectProposed(
    proposalId: string,
    reason: string | null,
    by: 'person' | 'policy',
  ): Promise<{ rejected: boolean; proposal: Proposal }> {
    const { store, events } = this.#options;
    const written = await store.transaction(async () => {
      const { claimed, proposal } = await store.proposals.claim(proposalId, {
        from: ['proposed'],
        status: 'rejected',
        reason,
      });
      if (!claimed) return { rejected: false, proposal, announce: [] };
      const answer = await appendRejection(store, proposal, by);
      return { rejected: true, proposal, announce: [await proposalUpdated(store, proposalId), answer] };
    });
    publishAll(events, written.announce);
    return written;
  }

  /**
   * Runs a proposal, as proposed or as the person edited it, once the conversation's shell is free (it is
   * `queued` until then); answers when it ends or after a short wait.
   */
  async run(
    proposalId: string,
    options: { command?: string; action?: FileAction; send?: boolean },
  ): Promise<ExecutionDto> {
    const { store } = this.#options;
    const proposal = await store.proposals.get(proposalId);
    // A first answer without waiting for a sandbox; the claim when it is queued decides for certain.
    if (proposal.status !== 'proposed') {
      throw new ConflictError(
        `proposal ${proposalId} is ${proposal.status}; only a proposed command can run`,
      );
    }
    const action = changedAction(proposal, options);
    const message = await store.messages.get(proposal.messageId);
    const send = options.send ?? message.author === 'model';
    const queued = await this.#runs.queue({
      conversationId: proposal.conversationId,
      proposal,
      command: action === null ? (options.command ?? proposal.command) : fileActionSummary(action),
      action,
      timeoutSeconds: proposal.timeoutSeconds ?? undefined,
    });
    const done = queued.done.then(async (execution) => {
      await this.#maybeContinue(proposal.messageId, send);
      return execution;
    });
    return this.#answerSoon({ queued: queued.queued, done: this.#track(done) });
  }

  async reject(proposalId: string, options: { reason?: string; send?: boolean }): Promise<ProposalDto> {
    const { store } = this.#options;
    const reason = options.reason?.trim() || null;
    const { rejected, proposal } = await this.#rejectProposed(proposalId, reason, 'person');
    if (!rejected) {
      throw new ConflictError(
        `proposal ${proposalId} is ${proposal.status}; only a proposed command can be rejected` +
          (proposal.status === 'queued' ? ' (Interrupt cancels a queued one)' : ''),
      );
    }
    const message = await store.messages.get(proposal.messageId);
    await this.#maybeContinue(proposal.messageId, options.send ?? message.author === 'model');
    // A rejected proposal never changes again: as the rejection wrote it.
    return this.#withExecution(proposal);
  }

  /** A command the person writes and runs directly; its output joins the conversation as the terminal's. */
  async runDirect(conversationId: string, command: string, timeoutSeconds?: number): Promise<ExecutionDto> {
    const queued = await this.#runs.queue({ conversationId, proposal: null, command, timeoutSeconds });
    return this.#answerSoon({ queued: queued.queued, done: this.#track(queued.done) });
  }

  /**
   * Interrupts the execution it names, and only it: a queued one is cancelled (it never runs; a proposal
   * ends `interrupted` and its answer says so), a running one is stopped. An ended one is returned as is.
   */
  interrupt(executionId: string): Promise<ExecutionDto> {
    return this.#runs.interrupt(executionId);
  }

  get(executionId: string): Promise<ExecutionDto> {
    return this.#options.store.executions.get(executionId);
  }

  /** Before the shells close at shutdown: queued commands will not start, and nothing new is queued. */
  stop(): Promise<void> {
    return this.#runs.stop();
  }

  /** Waits for every running command and pending proposal (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const forget = () => this.#inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** At start: commands a crash left running are marked interrupted. */
  async recoverAfterCrash(): Promise<void> {
    const { store } = this.#options;
    await store.transaction(async () => {
      await store.executions.markRunningInterrupted();
      await store.proposals.markRunningInterrupted();
    });
  }

  /** The loop: once every proposal of a message is settled, call the model again if asked, within the limit. */
  async #maybeContinue(messageId: string, send: boolean): Promise<void> {
    if (!send) return;
    const { store } = this.#options;
    const proposals = await store.proposals.forMessage(messageId);
    if (proposals.length === 0 || !proposals.every((proposal) => SETTLED.has(proposal.status))) return;
    // Interrupting a command is the person stepping in: the loop waits for them.
    if (proposals.some((proposal) => proposal.status === 'interrupted')) return;
    const message = await store.messages.get(messageId);
    if ((await this.#stepsSincePerson(message.conversationId)) >= (this.#options.maxSteps ?? 25)) return;
    if (this.#continued.has(messageId)) return;
    this.#continued.add(messageId);
    await this.#options.continueConversation(message.conversationId).catch((error: unknown) => {
      console.error(`could not continue conversation ${message.conversationId}: ${(error as Error).message}`);
    });
  }

  async #stepsSincePerson(conversationId: string): Promise<number> {
    const path = await this.#options.store.messages.path(conversationId);
    let steps = 0;
    for (let index = path.length - 1; index >= 0; index--) {
      const message = path[index]!;
      if (message.role === 'user' && message.author !== 'terminal') break;
      if (message.role === 'assistant' && message.author === 'model') steps += 1;
    }
    return steps;
  }

  /**
   * The conversation's workspace, for the test-edit guard to read an absolute path against; undefined when
   * it is refused (running the proposal says why, so the guard only reads paths as written here).
   */
  #workspaceOrNone(conversation: Conversation): string | undefined {
    try {
      return this.#options.sessions.workspaceFor(
        conversation.id,
        conversation.settings,
        conversation.ownerAccountId,
      );
    } catch {
      return undefined;
    }
  }

  #withExecution(proposal: Proposal): Promise<ProposalDto> {
    return proposalWithExecution(this.#options.store, proposal);
  }

  /** The execution once it has ended, or its state so far (queued or running) after a short wait. */
  async #answerSoon(run: Pick<QueuedRun, 'queued' | 'done'>): Promise<ExecutionDto> {
    let timer: NodeJS.Timeout | undefined;
    const soon = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.#options.answerWithinMs ?? 2_000);
    });
    run.done.catch(() => undefined);
    const first = await Promise.race([run.done, soon]).finally(() => clearTimeout(timer));
    return first ?? (await this.#options.store.executions.get(run.queued.id));
  }
}

/**
 * The file action to apply: as proposed, or as the person changed it (same tool and path: a person who wants
 * another file writes their own action). Null for a command; a command proposal takes no action, and a file
 * proposal no command text.
 */
function changedAction(
  proposal: Proposal,
  options: { command?: string | undefined; action?: FileAction | undefined },
): FileAction | null {
  if (proposal.action === null) {
    if (options.action !== undefined) {
      throw new InvalidRequestError('this proposal is a command: send `command`, not `action`');
    }
    return null;
  }
  if (options.command !== undefined) {
    throw new InvalidRequestError(
      `this proposal is ${proposal.action.tool}: send the changed action as \`action\`, not \`command\``,
    );
  }
  const action = options.action ?? proposal.action;
  if (action.tool !== proposal.action.tool || action.path !== proposal.action.path) {
    throw new InvalidRequestError(
      `the changed action must keep the proposal's tool and path (${proposal.action.tool} ${proposal.action.path})`,
    );
  }
  return action;
}
