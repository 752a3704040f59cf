/**
 * What the open conversation's work did to its workspace (issue 8): its checkpoints and test runs, kept in
 * step with the live events. One immutable snapshot per change, so a component reads what it needs with
 * `useSyncExternalStore` and a card re-renders when its execution gains a checkpoint or a test run.
 */
import type { LiveEvent } from '../../../src/core/api/events.ts';
import type { Checkpoint, TestRun } from '../api/workspace-api.ts';

export interface WorkspaceSnapshot {
  conversationId: string | null;
  /** Oldest first. */
  checkpoints: readonly Checkpoint[];
  /** Oldest first. */
  testRuns: readonly TestRun[];
  /** The step checkpoint taken after each execution, by execution id. */
  stepByExecution: ReadonlyMap<string, Checkpoint>;
  /** The same, by the message that reports the step (a command the person ran directly shows it there). */
  stepByMessage: ReadonlyMap<string, Checkpoint>;
  testRunByExecution: ReadonlyMap<string, TestRun>;
  /** Grows whenever the workspace's files may have changed (a checkpoint taken, a restore): views refetch. */
  filesVersion: number;
}

type Listener = () => void;

const EMPTY: WorkspaceSnapshot = {
  conversationId: null,
  checkpoints: [],
  testRuns: [],
  stepByExecution: new Map(),
  stepByMessage: new Map(),
  testRunByExecution: new Map(),
  filesVersion: 0,
};

export class WorkspaceStore {
  #snapshot: WorkspaceSnapshot = EMPTY;
  readonly #listeners = new Set<Listener>();

  get snapshot(): WorkspaceSnapshot {
    return this.#snapshot;
  }

  /** Opens another conversation: what belonged to the previous one is dropped. */
  open(conversationId: string | null): void {
    if (conversationId === this.#snapshot.conversationId) return;
    this.#set({ ...EMPTY, conversationId, filesVersion: this.#snapshot.filesVersion + 1 });
  }

  /** The server's lists, merged with what live events brought meanwhile (records are never deleted). */
  load(conversationId: string, lists: { checkpoints: Checkpoint[]; testRuns: TestRun[] }): void {
    if (conversationId !== this.#snapshot.conversationId) return;
    this.#merge(lists.checkpoints, lists.testRuns, true);
  }

  handle(event: LiveEvent): void {
    if (!('conversationId' in event) || event.conversationId !== this.#snapshot.conversationId) return;
    if (event.type === 'checkpoint-created') this.#merge([event.checkpoint], [], true);
    else if (event.type === 'test-run-created') this.#merge([], [event.testRun], false);
    else if (event.type === 'checkpoint-restored')
      this.#set({ ...this.#snapshot, filesVersion: this.#snapshot.filesVersion + 1 });
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #merge(checkpoints: Checkpoint[], testRuns: TestRun[], filesChanged: boolean): void {
    const current = this.#snapshot;
    const allCheckpoints = mergeById(current.checkpoints, checkpoints);
    const allTestRuns = mergeById(current.testRuns, testRuns);
    this.#set({
      ...current,
      checkpoints: allCheckpoints,
      testRuns: allTestRuns,
      stepByExecution: new Map(
        allCheckpoints.flatMap((checkpoint) =>
          checkpoint.kind === 'step' && checkpoint.executionId !== null
            ? [[checkpoint.executionId, checkpoint] as const]
            : [],
        ),
      ),
      stepByMessage: new Map(
        allCheckpoints.flatMap((checkpoint) =>
          checkpoint.kind === 'step' && checkpoint.messageId !== null
            ? [[checkpoint.messageId, checkpoint] as const]
            : [],
        ),
      ),
      testRunByExecution: new Map(allTestRuns.map((run) => [run.executionId, run] as const)),
      filesVersion: current.filesVersion + (filesChanged ? 1 : 0),
    });
  }

  #set(snapshot: WorkspaceSnapshot): void {
    this.#snapshot = snapshot;
    for (const listener of this.#listeners) listener();
  }
}

/** Known records and new ones, one per id, oldest first (ties keep the id's order: ids sort by time). */
function mergeById<T extends { id: string; createdAt: string }>(known: readonly T[], added: T[]): T[] {
  if (added.length === 0) return [...known];
  const byId = new Map(known.map((record) => [record.id, record]));
  for (const record of added) byId.set(record.id, record);
  return [...byId.values()].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
}
