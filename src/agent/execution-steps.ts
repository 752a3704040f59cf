/**
 * What each step of a command's life writes and then announces, once CommandRuns has decided the step: it
 * starts running, it ends with a result, a person's Interrupt cancels it in the queue, it is handed back
 * to a person (the policy no longer lets it run, the server is stopping), its shell cannot start. The
 * execution, its proposal and (for an end) the result message change in one transaction, and only then
 * are the events published, so what listeners are shown is what is stored. Joining the queue stays in
 * command-runs.ts: the queue must know the execution before anyone hears of it.
 *
 * A step out of the queue (start, cancel, hand back, no shell) happens only to an execution still queued,
 * checked under the conversation's lock in the transaction that moves it: between two awaits a person's
 * Interrupt, the server's stop and the command's own turn can reach the same execution, and exactly one of
 * them may move it (on PostgreSQL, two server processes too).
 */
import type { LiveEvent } from '../core/api/events.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { CommandResult, SandboxKind } from '../core/shell-session.ts';
import type { Execution } from '../store/executions.ts';
import type { Store } from '../store/store.ts';
import { appendCommandResult, commandEndEvents } from './command-answers.ts';
import { proposalUpdated, publishAll } from './proposal-status.ts';

/** The execution a step is about, and the proposal it carries out (null for a typed command). */
export interface ExecutionRef {
  executionId: string;
  conversationId: string;
  proposalId: string | null;
}

/** What a step wrote, and the events that tell of it once its transaction has committed. */
export interface WrittenStep {
  execution: Execution;
  announce: LiveEvent[];
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

  /**
   * The execution still queued, with the conversation locked for the rest of the transaction; else null
   * (it has left the queue: cancelled, handed back, started). Call inside the transaction of the step.
   */
  async stillQueued(turn: ExecutionRef): Promise<{ queued: Execution | null; now: Execution }> {
    const { store } = this.#options;
    await store.database.lockConversation(turn.conversationId);
    const now = await store.executions.get(turn.executionId);
    return { queued: now.status === 'queued' ? now : null, now };
  }

  /**
   * It starts, in `sandbox`, approved by `approvedBy` (a person, or the policy named). Call inside the
   * transaction that found it still queued (`stillQueued`).
   */
  async writeRunning(
    turn: ExecutionRef,
    at: { sandbox: SandboxKind; approvedBy: string },
  ): Promise<WrittenStep> {
    const { store } = this.#options;
    const execution = await store.executions.markRunning(turn.executionId, at);
    if (turn.proposalId !== null) await store.proposals.setStatus(turn.proposalId, 'running');
    return {
      execution,
      announce: [
        { type: 'command-started', conversationId: execution.conversationId, execution },
        ...(turn.proposalId === null ? [] : [await proposalUpdated(store, turn.proposalId)]),
      ],
    };
  }

  /**
   * It will not start (the policy no longer lets it run by itself, or the server is stopping): it never ran,
   * and a proposal waits for a person again, with the reason. Call inside the transaction that found it
   * still queued (`stillQueued`).
   */
  async writeHandedBack(turn: ExecutionRef, reason: string): Promise<WrittenStep> {
    const { store } = this.#options;
    const execution = await store.executions.cancel(turn.executionId);
    if (turn.proposalId !== null) await store.proposals.setStatus(turn.proposalId, 'proposed', reason);
    return {
      execution,
      announce: [
        { type: 'command-ended', conversationId: execution.conversationId, execution },
        ...(turn.proposalId === null ? [] : [await proposalUpdated(store, turn.proposalId)]),
      ],
    };
  }

  /** Hands it back to a person (see `writeHandedBack`) if it is still queued; returns it as it now stands. */
  handedBack(turn: ExecutionRef, reason: string): Promise<Execution> {
    return this.#commit(async () => {
      const { queued, now } = await this.stillQueued(turn);
      return queued === null ? { execution: now, announce: [] } : this.writeHandedBack(turn, reason);
    });
  }

  /** It ended with `result`: the execution, its proposal and the result message the model reads. */
  async finished(
    execution: Execution,
    turn: ExecutionRef & { command: string },
    result: CommandResult,
  ): Promise<Execution> {
    const { store } = this.#options;
    return this.#commit(async () => {
      const ended = await store.executions.finish(execution.id, {
        status: result.status,
        exitCode: result.exitCode,
        output: result.output,
        outputTruncated: result.truncated,
        outputBytes: result.outputBytes,
        durationMs: Math.round(result.durationMs),
        cwd: result.cwd === '' ? null : result.cwd,
        limitHit: result.limitHit ?? null,
      });
      const proposal =
        turn.proposalId === null ? null : await store.proposals.setStatus(turn.proposalId, result.status);
      const answered = await appendCommandResult(store, {
        execution: ended,
        proposal,
        command: turn.command,
        result,
        maxChars: this.#options.contextOutputChars ?? 16_000,
      });
      return {
        execution: answered.execution,
        announce: await commandEndEvents(store, { ...answered, proposal }),
      };
    });
  }

  /**
   * A person's Interrupt reached it in the queue: it never runs, and whoever proposed it is told so. Null
   * when it had already left the queue (it started, or was cancelled or handed back meanwhile).
   */
  async cancelled(turn: ExecutionRef): Promise<Execution | null> {
    const { store } = this.#options;
    let cancelled = false;
    const execution = await this.#commit(async () => {
      const { queued, now } = await this.stillQueued(turn);
      if (queued === null) return { execution: now, announce: [] };
      cancelled = true;
      const ended = await store.executions.cancel(queued.id);
      const proposal =
        turn.proposalId === null
          ? null
          : await store.proposals.setStatus(
              turn.proposalId,
              'interrupted',
              'cancelled by the user before it started',
            );
      const answered = await appendCommandResult(store, {
        execution: ended,
        proposal,
        command: queued.commandRun,
        result: { status: 'cancelled' },
        maxChars: this.#options.contextOutputChars ?? 16_000,
      });
      return {
        execution: answered.execution,
        announce: await commandEndEvents(store, { ...answered, proposal }),
      };
    });
    return cancelled ? execution : null;
  }

  /**
   * No shell to run it in: nothing ran; a proposal waits for a person again, and the caller hears why (this
   * rejects with `error`). If it left the queue meanwhile (an Interrupt cancelled it while its shell was
   * starting), that stands and is returned.
   */
  async failedToStart(turn: ExecutionRef, error: unknown): Promise<Execution> {
    const { store } = this.#options;
    const why = error instanceof Error ? error.message : String(error);
    let failed = false;
    const execution = await this.#commit(async () => {
      const { queued, now } = await this.stillQueued(turn);
      if (queued === null) return { execution: now, announce: [] };
      failed = true;
      const ended = await store.executions.finish(turn.executionId, {
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
        await store.proposals.setStatus(turn.proposalId, 'proposed', `its shell could not start: ${why}`);
      }
      return {
        execution: ended,
        announce: [
          { type: 'command-ended', conversationId: ended.conversationId, execution: ended },
          ...(turn.proposalId === null ? [] : [await proposalUpdated(store, turn.proposalId)]),
        ],
      };
    });
    if (failed) throw error;
    return execution;
  }

  /** Writes a step in one transaction, then (committed) tells of it. */
  async #commit(write: () => Promise<WrittenStep>): Promise<Execution> {
    const { execution, announce } = await this.#options.store.transaction(write);
    publishAll(this.#options.events, announce);
    return execution;
  }
}
