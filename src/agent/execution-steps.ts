/**
 * What each step of a command's life writes and then announces, once CommandRuns has decided the step: it
 * starts running, it ends with a result, a person's Interrupt cancels it in the queue, it is handed back
 * to a person (the policy no longer lets it run, the server is stopping), its shell cannot start. The
 * execution, its proposal and (for an end) the result message change in one transaction, and only then
 * are the events published, so what listeners are shown is what is stored. Joining the queue stays in
 * command-runs.ts: the queue must know the execution before anyone hears of it.
 */
import type { EventBus } from '../core/event-bus.ts';
import type { CommandResult, SandboxKind } from '../core/shell-session.ts';
import type { Execution } from '../store/executions.ts';
import type { Store } from '../store/store.ts';
import { announceCommandEnd, appendCommandResult } from './command-answers.ts';
import { announceProposal } from './proposal-status.ts';

/** The execution a step is about, and the proposal it carries out (null for a typed command). */
export interface ExecutionRef {
  executionId: string;
  proposalId: string | null;
}

export interface ExecutionStepsOptions {
  store: Store;
  events: EventBus;
  /** Output kept in the model's context per command, in characters (head and tail kept). */
  contextOutputChars?: number | undefined;
}

export class ExecutionSteps {
  readonly #options: ExecutionStepsOptions;

  constructor(options: ExecutionStepsOptions) {
    this.#options = options;
  }

  /** It starts, in `sandbox`, approved by `approvedBy` (a person, or the policy named). */
  running(turn: ExecutionRef, at: { sandbox: SandboxKind; approvedBy: string }): Execution {
    const { store, events } = this.#options;
    const execution = store.transaction(() => {
      const running = store.executions.markRunning(turn.executionId, at);
      if (turn.proposalId !== null) store.proposals.setStatus(turn.proposalId, 'running');
      return running;
    });
    events.publish({ type: 'command-started', conversationId: execution.conversationId, execution });
    if (turn.proposalId !== null) announceProposal(store, events, store.proposals.get(turn.proposalId));
    return execution;
  }

  /** It ended with `result`: the execution, its proposal and the result message the model reads. */
  finished(execution: Execution, turn: ExecutionRef & { command: string }, result: CommandResult): Execution {
    const { store } = this.#options;
    const proposal = turn.proposalId === null ? null : store.proposals.get(turn.proposalId);
    const finished = store.transaction(() => {
      const ended = store.executions.finish(execution.id, {
        status: result.status,
        exitCode: result.exitCode,
        output: result.output,
        outputTruncated: result.truncated,
        outputBytes: result.outputBytes,
        durationMs: Math.round(result.durationMs),
        cwd: result.cwd === '' ? null : result.cwd,
        limitHit: result.limitHit ?? null,
      });
      if (proposal !== null) store.proposals.setStatus(proposal.id, result.status);
      return appendCommandResult(store, {
        execution: ended,
        proposal,
        command: turn.command,
        result,
        maxChars: this.#options.contextOutputChars ?? 16_000,
      });
    });
    announceCommandEnd(store, this.#options.events, { ...finished, proposal });
    return finished.execution;
  }

  /** A person's Interrupt reached it in the queue: it never runs, and whoever proposed it is told so. */
  cancelled(execution: Execution): Execution {
    const { store } = this.#options;
    const proposal = execution.proposalId === null ? null : store.proposals.get(execution.proposalId);
    const finished = store.transaction(() => {
      const cancelled = store.executions.cancel(execution.id);
      if (proposal !== null) {
        store.proposals.setStatus(proposal.id, 'interrupted', 'cancelled by the user before it started');
      }
      return appendCommandResult(store, {
        execution: cancelled,
        proposal,
        command: execution.commandRun,
        result: { status: 'cancelled' },
        maxChars: this.#options.contextOutputChars ?? 16_000,
      });
    });
    announceCommandEnd(store, this.#options.events, { ...finished, proposal });
    return finished.execution;
  }

  /**
   * It will not start (the policy no longer lets it run by itself, or the server is stopping): it never ran,
   * and a proposal waits for a person again, with the reason.
   */
  handedBack(turn: ExecutionRef, reason: string): Execution {
    const { store, events } = this.#options;
    const cancelled = store.transaction(() => {
      const execution = store.executions.cancel(turn.executionId);
      if (turn.proposalId !== null) {
        store.proposals.setStatus(turn.proposalId, 'proposed', reason);
      }
      return execution;
    });
    events.publish({ type: 'command-ended', conversationId: cancelled.conversationId, execution: cancelled });
    if (turn.proposalId !== null) announceProposal(store, events, store.proposals.get(turn.proposalId));
    return cancelled;
  }

  /** No shell to run it in: nothing ran; a proposal waits for a person again, and the caller hears why. */
  failedToStart(turn: ExecutionRef, error: unknown): never {
    const { store, events } = this.#options;
    const why = error instanceof Error ? error.message : String(error);
    const failed = store.transaction(() => {
      const execution = store.executions.finish(turn.executionId, {
        status: 'failed',
        exitCode: null,
        output: why,
        outputTruncated: false,
        outputBytes: Buffer.byteLength(why),
        durationMs: 0,
        cwd: null,
        limitHit: null,
      });
      if (turn.proposalId !== null) {
        store.proposals.setStatus(turn.proposalId, 'proposed', `its shell could not start: ${why}`);
      }
      return execution;
    });
    events.publish({ type: 'command-ended', conversationId: failed.conversationId, execution: failed });
    if (turn.proposalId !== null) announceProposal(store, events, store.proposals.get(turn.proposalId));
    throw error;
  }
}
