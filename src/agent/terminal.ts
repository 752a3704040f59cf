import type { ExecutionDto, ProposalDto, TerminalPlaceDto } from '../core/api/terminal-schemas.ts';
import { decideApproval } from '../core/approval-policy.ts';
import { commandResultText } from '../core/command-result-text.ts';
import type { Message } from '../core/domain.ts';
import { ConflictError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { proposalDrafts } from '../core/proposal-drafts.ts';
import type { CommandResult } from '../core/shell-session.ts';
import type { Execution } from '../store/executions.ts';
import type { Proposal } from '../store/proposals.ts';
import type { Store } from '../store/store.ts';
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

  constructor(options: TerminalOptions) {
    this.#options = options;
  }

  /** Where the conversation's commands run: its folder and the sandbox its settings resolve to. */
  async place(conversationId: string): Promise<TerminalPlaceDto> {
    const { settings } = this.#options.store.conversations.get(conversationId);
    const workspace = this.#options.sessions.workspaceFor(conversationId, settings);
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
  list(conversationId: string): ProposalDto[] {
    const { store } = this.#options;
    store.conversations.get(conversationId);
    return store.proposals.forConversation(conversationId).map((proposal) => this.#withExecution(proposal));
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
    if (store.proposals.forMessage(message.id).length > 0) return [];
    const drafts = proposalDrafts(message, options.wholeText ?? false);
    if (drafts.length === 0) return [];
    const conversation = store.conversations.get(message.conversationId);
    // With no sandbox working, judge as on the host, where every command asks; running it will say why not.
    const sandbox = await this.#options.sessions
      .sandboxFor(conversation.settings)
      .catch(() => 'host' as const);
    const policy = conversation.settings.approvalPolicy ?? 'ask';
    const created = store.transaction(() =>
      drafts.map((draft, position) =>
        store.proposals.create({
          conversationId: message.conversationId,
          messageId: message.id,
          position,
          toolCallId: draft.toolCallId,
          command: draft.command,
          timeoutSeconds: draft.timeoutSeconds,
          ...(draft.error === null ? {} : { status: 'rejected' as const, reason: draft.error }),
        }),
      ),
    );
    for (const proposal of created) {
      events.publish({
        type: 'proposal-created',
        conversationId: proposal.conversationId,
        proposal: this.#withExecution(proposal),
      });
    }
    for (const proposal of created) {
      if (proposal.status === 'rejected') {
        this.#answerRejection(proposal, 'invalid-call');
        continue;
      }
      const decision = decideApproval({ command: proposal.command, policy, sandbox });
      if (decision.decision === 'auto-approve') {
        await this.#execute(proposal, {
          command: proposal.command,
          approvedBy: `policy:${policy}`,
        }).done.catch((error: unknown) => console.error(error));
      } else if (decision.decision === 'reject') {
        this.#setStatus(proposal, 'rejected', decision.reason);
        this.#answerRejection(store.proposals.get(proposal.id), 'policy');
      }
    }
    await this.#maybeContinue(message.id, options.send);
    return store.proposals.forMessage(message.id).map((proposal) => this.#withExecution(proposal));
  }

  /** Runs a proposal, as proposed or as the person edited it; answers when it ends or after a short wait. */
  async run(proposalId: string, options: { command?: string; send?: boolean }): Promise<ExecutionDto> {
    const { store } = this.#options;
    const proposal = store.proposals.get(proposalId);
    if (proposal.status !== 'proposed') {
      throw new ConflictError(
        `proposal ${proposalId} is ${proposal.status}; only a proposed command can run`,
      );
    }
    const command = options.command ?? proposal.command;
    const message = store.messages.get(proposal.messageId);
    const send = options.send ?? message.author === 'model';
    const running = this.#execute(proposal, { command, approvedBy: 'human' });
    const done = running.done.then(async (execution) => {
      await this.#maybeContinue(proposal.messageId, send);
      return execution;
    });
    return this.#answerSoon({ started: running.started, done: this.#track(done) });
  }

  async reject(proposalId: string, options: { reason?: string; send?: boolean }): Promise<ProposalDto> {
    const { store } = this.#options;
    const proposal = store.proposals.get(proposalId);
    if (proposal.status !== 'proposed') {
      throw new ConflictError(
        `proposal ${proposalId} is ${proposal.status}; only a proposed command can be rejected`,
      );
    }
    const reason = options.reason?.trim() || null;
    const rejected = this.#setStatus(proposal, 'rejected', reason);
    this.#answerRejection(rejected, 'person');
    const message = store.messages.get(proposal.messageId);
    await this.#maybeContinue(proposal.messageId, options.send ?? message.author === 'model');
    return this.#withExecution(store.proposals.get(proposalId));
  }

  /** A command the person writes and runs directly; its output joins the conversation as the terminal's. */
  async runDirect(conversationId: string, command: string, timeoutSeconds?: number): Promise<ExecutionDto> {
    this.#options.store.conversations.get(conversationId);
    const execution = this.#startExecution({
      conversationId,
      proposal: null,
      command,
      approvedBy: 'human',
      timeoutSeconds,
    });
    return this.#answerSoon(execution);
  }

  interrupt(executionId: string): ExecutionDto {
    const { store } = this.#options;
    const execution = store.executions.get(executionId);
    if (execution.status !== 'running') return execution;
    this.#options.sessions.current(execution.conversationId)?.interrupt();
    return store.executions.get(executionId);
  }

  get(executionId: string): ExecutionDto {
    return this.#options.store.executions.get(executionId);
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
  recoverAfterCrash(): void {
    const { store } = this.#options;
    store.transaction(() => {
      store.executions.markRunningInterrupted();
      store.proposals.markRunningInterrupted();
    });
  }

  #execute(proposal: Proposal, how: { command: string; approvedBy: string }): RunningExecution {
    const edited = how.command !== proposal.command;
    this.#setStatus(proposal, edited ? 'edited' : 'approved');
    return this.#startExecution({
      conversationId: proposal.conversationId,
      proposal,
      command: how.command,
      approvedBy: how.approvedBy,
      timeoutSeconds: proposal.timeoutSeconds ?? undefined,
    });
  }

  #startExecution(input: {
    conversationId: string;
    proposal: Proposal | null;
    command: string;
    approvedBy: string;
    timeoutSeconds: number | undefined;
  }): RunningExecution {
    const { store, events, sessions } = this.#options;
    const conversation = store.conversations.get(input.conversationId);
    let markStarted: (execution: Execution) => void = () => undefined;
    const started = new Promise<Execution>((resolve) => {
      markStarted = resolve;
    });
    const done = (async () => {
      let opened: Awaited<ReturnType<ShellSessions['get']>>;
      try {
        opened = await sessions.get(conversation.id, conversation.settings, conversation.startupScript);
      } catch (error) {
        if (input.proposal !== null) this.#setStatus(store.proposals.get(input.proposal.id), 'proposed');
        throw error;
      }
      const execution = store.transaction(() => {
        const started = store.executions.start({
          conversationId: conversation.id,
          proposalId: input.proposal?.id ?? null,
          commandProposed: input.proposal?.command ?? null,
          commandRun: input.command,
          approvedBy: input.approvedBy,
          sandbox: opened.sandbox,
          cwd: null,
        });
        if (input.proposal !== null) store.proposals.setStatus(input.proposal.id, 'running');
        return started;
      });
      markStarted(execution);
      events.publish({ type: 'command-started', conversationId: conversation.id, execution });
      if (input.proposal !== null) this.#announce(store.proposals.get(input.proposal.id));
      const result = await opened.session.run(input.command, {
        ...(input.timeoutSeconds === undefined ? {} : { timeoutMs: input.timeoutSeconds * 1000 }),
        onOutput: (text) =>
          events.publish({
            type: 'command-output-delta',
            conversationId: conversation.id,
            executionId: execution.id,
            text,
          }),
      });
      return this.#finish(execution, input.proposal, input.command, result);
    })();
    this.#track(done).catch(() => undefined);
    return { started, done };
  }

  #finish(
    execution: Execution,
    proposal: Proposal | null,
    command: string,
    result: CommandResult,
  ): Execution {
    const { store, events } = this.#options;
    const finished = store.transaction(() => {
      const ended = store.executions.finish(execution.id, {
        status: result.status,
        exitCode: result.exitCode,
        output: result.output,
        outputTruncated: result.truncated,
        outputBytes: result.outputBytes,
        durationMs: Math.round(result.durationMs),
        cwd: result.cwd,
      });
      if (proposal !== null) store.proposals.setStatus(proposal.id, result.status);
      const message = store.messages.append(execution.conversationId, {
        ...(proposal?.toolCallId
          ? { role: 'tool' as const, toolCallId: proposal.toolCallId }
          : { role: 'user' as const }),
        author: 'terminal',
        editor: 'terminal',
        content: commandResultText({
          command,
          result,
          asToolResult: proposal !== null && proposal.toolCallId !== null,
          maxChars: this.#options.contextOutputChars ?? 16_000,
        }),
      });
      return { execution: store.executions.linkResult(ended.id, message.id), message };
    });
    events.publish({
      type: 'command-ended',
      conversationId: execution.conversationId,
      execution: finished.execution,
    });
    events.publish({
      type: 'message-created',
      conversationId: execution.conversationId,
      message: finished.message,
    });
    if (proposal !== null) this.#announce(store.proposals.get(proposal.id));
    return finished.execution;
  }

  /**
   * Answers the tool call (or the conversation) with why the command did not run, so the model knows: the
   * person's reason, the policy's, or what was wrong with the call itself.
   */
  #answerRejection(proposal: Proposal, by: 'person' | 'policy' | 'invalid-call'): void {
    const { store, events } = this.#options;
    const reason = proposal.reason ? `: ${proposal.reason}` : '';
    const text =
      by === 'invalid-call'
        ? (proposal.reason ?? 'the call could not be read')
        : by === 'policy'
          ? `not run${reason}`
          : `rejected by the user${reason}`;
    const message = store.transaction(() =>
      store.messages.append(proposal.conversationId, {
        ...(proposal.toolCallId
          ? { role: 'tool' as const, toolCallId: proposal.toolCallId }
          : { role: 'user' as const }),
        author: proposal.toolCallId || by !== 'person' ? 'terminal' : 'human',
        editor: by === 'person' ? 'human' : 'terminal',
        content: proposal.toolCallId ? text : `Command ${text}: ${proposal.command}`,
      }),
    );
    events.publish({ type: 'message-created', conversationId: proposal.conversationId, message });
  }

  /** The loop: once every proposal of a message is settled, call the model again if asked, within the limit. */
  async #maybeContinue(messageId: string, send: boolean): Promise<void> {
    if (!send) return;
    const { store } = this.#options;
    const proposals = store.proposals.forMessage(messageId);
    if (proposals.length === 0 || !proposals.every((proposal) => SETTLED.has(proposal.status))) return;
    // Interrupting a command is the person stepping in: the loop waits for them.
    if (proposals.some((proposal) => proposal.status === 'interrupted')) return;
    const message = store.messages.get(messageId);
    if (this.#stepsSincePerson(message.conversationId) >= (this.#options.maxSteps ?? 25)) return;
    await this.#options.continueConversation(message.conversationId).catch((error: unknown) => {
      console.error(`could not continue conversation ${message.conversationId}: ${(error as Error).message}`);
    });
  }

  #stepsSincePerson(conversationId: string): number {
    const path = this.#options.store.messages.path(conversationId);
    let steps = 0;
    for (let index = path.length - 1; index >= 0; index--) {
      const message = path[index]!;
      if (message.role === 'user' && message.author !== 'terminal') break;
      if (message.role === 'assistant' && message.author === 'model') steps += 1;
    }
    return steps;
  }

  #setStatus(proposal: Proposal, status: ProposalDto['status'], reason: string | null = null): Proposal {
    const updated = this.#options.store.proposals.setStatus(proposal.id, status, reason);
    this.#announce(updated);
    return updated;
  }

  #announce(proposal: Proposal): void {
    this.#options.events.publish({
      type: 'proposal-updated',
      conversationId: proposal.conversationId,
      proposal: this.#withExecution(proposal),
    });
  }

  #withExecution(proposal: Proposal): ProposalDto {
    return { ...proposal, execution: this.#options.store.executions.latestForProposal(proposal.id) };
  }

  /** The execution once it has ended, or its state so far if that takes longer than a short wait. */
  async #answerSoon(running: RunningExecution): Promise<ExecutionDto> {
    let timer: NodeJS.Timeout | undefined;
    const soon = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.#options.answerWithinMs ?? 2_000);
    });
    running.done.catch(() => undefined);
    const first = await Promise.race([running.done, soon]).finally(() => clearTimeout(timer));
    if (first !== null) return first;
    // Starting the shell can itself take a moment; once the row exists, its state is the answer.
    const started = await Promise.race([running.started, running.done]);
    return this.#options.store.executions.get(started.id);
  }
}

interface RunningExecution {
  /** Resolves once the execution row exists (the command is running). */
  started: Promise<Execution>;
  done: Promise<Execution>;
}
