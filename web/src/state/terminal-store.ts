/**
 * The open conversation's proposals and executions, kept in step with the live events, and the output of
 * running commands as it streams. Outside React state, so a burst of output re-renders only its own block;
 * listeners hear about output at most once per `schedule` tick (a frame in the browser).
 */
import type { LiveEvent } from '../../../src/core/api/events.ts';
import type { Execution, Proposal } from '../api/terminal-api.ts';

/** The live view keeps this much of a running command's output; the stored output arrives when it ends. */
export const LIVE_OUTPUT_LIMIT = 512 * 1024;

export interface LiveOutput {
  text: string;
  /** Older output was dropped from the live view (not from the stored output). */
  cut: boolean;
}

type Listener = () => void;
const EMPTY: Proposal[] = [];
const DIRECT = 'direct';

export class TerminalStore {
  #conversationId: string | null = null;
  readonly #proposals = new Map<string, Proposal>();
  readonly #byMessage = new Map<string, Proposal[]>();
  readonly #executions = new Map<string, Execution>();
  readonly #live = new Map<string, LiveOutput>();
  #directRuns: Execution[] = [];
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #pending = new Set<string>();
  readonly #schedule: (flush: () => void) => void;
  #flushQueued = false;
  /** Settles once the server's list for the open conversation is merged; replaced on each open. */
  #listLoaded = Promise.withResolvers<void>();

  constructor(options: { schedule?: (flush: () => void) => void } = {}) {
    this.#schedule = options.schedule ?? ((flush) => queueMicrotask(flush));
  }

  /** Opens another conversation: what belonged to the previous one is dropped. */
  open(conversationId: string | null): void {
    if (conversationId === this.#conversationId) return;
    this.#conversationId = conversationId;
    const keys = [...this.#listeners.keys()];
    this.#proposals.clear();
    this.#byMessage.clear();
    this.#executions.clear();
    this.#live.clear();
    this.#directRuns = [];
    // Whoever waited on the previous conversation's list wakes, and finds another conversation open.
    this.#listLoaded.resolve();
    this.#listLoaded = Promise.withResolvers<void>();
    for (const key of keys) this.#notifyNow(key);
  }

  /**
   * Resolves once the server's list of the open conversation's proposals has been merged (at once when it has
   * been): before that, `waiting` knows only what live events brought, so `p` pressed on a page just opened
   * would find nothing.
   */
  listLoaded(): Promise<void> {
    return this.#listLoaded.promise;
  }

  get conversationId(): string | null {
    return this.#conversationId;
  }

  /**
   * The server's list (on open and after a reconnect), merged like events: an event that overtook the list's
   * answer keeps its newer state. Proposals are never deleted, so nothing known is dropped.
   */
  load(conversationId: string, proposals: Proposal[]): void {
    if (conversationId !== this.#conversationId) return;
    for (const proposal of proposals) this.applyProposal(proposal);
    this.#listLoaded.resolve();
  }

  proposalsFor(messageId: string): Proposal[] {
    return this.#byMessage.get(messageId) ?? EMPTY;
  }

  /**
   * The commands waiting for the person, in the order of the path: by `heldIndex` (a message's place among the
   * messages held), those of messages not held first (above the held window, or on another branch), then by
   * when they were proposed and their place in their message. What `p` goes to, whether its card is in the
   * DOM or not (the list renders only the cards near the view).
   */
  waiting(heldIndex: ReadonlyMap<string, number>): Proposal[] {
    const place = (proposal: Proposal) => heldIndex.get(proposal.messageId) ?? -1;
    return [...this.#proposals.values()]
      .filter((proposal) => proposal.status === 'proposed')
      .sort(
        (a, b) => place(a) - place(b) || a.createdAt.localeCompare(b.createdAt) || a.position - b.position,
      );
  }

  execution(executionId: string): Execution | undefined {
    return this.#executions.get(executionId);
  }

  liveOutput(executionId: string): LiveOutput | undefined {
    return this.#live.get(executionId);
  }

  /** Commands the person ran directly that are still running (their output becomes a message when done). */
  directRuns(): Execution[] {
    return this.#directRuns;
  }

  subscribeMessage(messageId: string, listener: Listener): () => void {
    return this.#subscribe(`message:${messageId}`, listener);
  }

  subscribeExecution(executionId: string, listener: Listener): () => void {
    return this.#subscribe(`execution:${executionId}`, listener);
  }

  subscribeDirectRuns(listener: Listener): () => void {
    return this.#subscribe(DIRECT, listener);
  }

  /** Our own request's answer: applied like an event, never replacing a newer state. */
  applyProposal(proposal: Proposal): void {
    if (proposal.conversationId !== this.#conversationId) return;
    const known = this.#proposals.get(proposal.id);
    if (known !== undefined && known.updatedAt > proposal.updatedAt) return;
    this.#proposals.set(proposal.id, proposal);
    if (proposal.execution !== null) {
      this.#setExecution(proposal.execution);
      // The proposal may carry an older state of its execution than the events already brought.
      const known = this.#executions.get(proposal.execution.id);
      const current = this.#proposals.get(proposal.id);
      if (known !== undefined && current !== undefined)
        this.#proposals.set(proposal.id, { ...current, execution: known });
    }
    this.#reindex(proposal.messageId);
  }

  applyExecution(execution: Execution): void {
    if (execution.conversationId !== this.#conversationId) return;
    this.#setExecution(execution);
  }

  handle(event: LiveEvent): void {
    if (!('conversationId' in event) || event.conversationId !== this.#conversationId) return;
    switch (event.type) {
      case 'proposal-created':
      case 'proposal-updated':
        this.applyProposal(event.proposal);
        return;
      case 'command-queued':
      case 'command-started':
      case 'command-ended':
        this.#setExecution(event.execution);
        return;
      case 'command-output-delta':
        this.#appendOutput(event.executionId, event.text);
        return;
      default:
        return;
    }
  }

  #setExecution(execution: Execution): void {
    const known = this.#executions.get(execution.id);
    // An answer that left earlier (queued, running) must not undo a later state we already heard about.
    if (known !== undefined && stage(known) > stage(execution)) return;
    this.#executions.set(execution.id, execution);
    if (execution.endedAt !== null) this.#live.delete(execution.id);
    else if (!this.#live.has(execution.id))
      this.#live.set(execution.id, { text: execution.output, cut: false });
    if (execution.proposalId !== null) {
      const proposal = this.#proposals.get(execution.proposalId);
      const shown = proposal?.execution ?? null;
      if (proposal !== undefined && (shown === null || shown.startedAt <= execution.startedAt)) {
        this.#proposals.set(proposal.id, { ...proposal, execution });
        this.#reindex(proposal.messageId);
      }
    } else {
      const others = this.#directRuns.filter((run) => run.id !== execution.id);
      this.#directRuns = execution.endedAt === null ? [...others, execution] : others;
      this.#notifyNow(DIRECT);
    }
    this.#notifyNow(`execution:${execution.id}`);
  }

  #appendOutput(executionId: string, text: string): void {
    const known = this.#executions.get(executionId);
    if (known?.endedAt != null) return;
    const live = this.#live.get(executionId) ?? { text: '', cut: false };
    let next = live.text + text;
    let cut = live.cut;
    if (next.length > LIVE_OUTPUT_LIMIT) {
      next = next.slice(next.length - LIVE_OUTPUT_LIMIT);
      cut = true;
    }
    this.#live.set(executionId, { text: next, cut });
    this.#pending.add(`execution:${executionId}`);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      this.#schedule(() => {
        this.#flushQueued = false;
        const keys = [...this.#pending];
        this.#pending.clear();
        for (const key of keys) this.#notifyNow(key);
      });
    }
  }

  #reindex(messageId: string): void {
    const list = [...this.#proposals.values()]
      .filter((proposal) => proposal.messageId === messageId)
      .sort((a, b) => a.position - b.position);
    if (list.length === 0) this.#byMessage.delete(messageId);
    else this.#byMessage.set(messageId, list);
    this.#notifyNow(`message:${messageId}`);
  }

  #subscribe(key: string, listener: Listener): () => void {
    let set = this.#listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(key);
    };
  }

  #notifyNow(key: string): void {
    for (const listener of this.#listeners.get(key) ?? []) listener();
  }
}

/** How far an execution has got: waiting its turn, running, ended. States only move forward. */
function stage(execution: Execution): number {
  if (execution.endedAt !== null) return 2;
  return execution.status === 'queued' ? 0 : 1;
}
