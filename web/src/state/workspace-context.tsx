import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { type Checkpoint, type TestRun, workspaceApi } from '../api/workspace-api.ts';
import { restoreSummary } from '../lib/restore-summary.ts';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { useToasts } from './toasts.tsx';
import { type WorkspaceSnapshot, WorkspaceStore } from './workspace-store.ts';

export interface WorkspaceActions {
  /** Opens the step's diff in the inspector; `step` names it (the command, or the file action's summary). */
  showDiff(checkpoint: Checkpoint, step: string): void;
  /** Puts the files back as they were before the step (after the person confirmed), with an Undo. */
  restoreBefore(checkpoint: Checkpoint): Promise<boolean>;
}

interface WorkspaceContextValue {
  store: WorkspaceStore;
  actions: WorkspaceActions;
}

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/** The open conversation's checkpoints and test runs (issue 8), fed by the live events. */
export function WorkspaceProvider(props: {
  conversationId: string | null;
  onShowDiff: (checkpoint: Checkpoint, step: string) => void;
  children: ReactNode;
}) {
  const { conversationId, onShowDiff } = props;
  const toasts = useToasts();
  const [store] = useState(() => new WorkspaceStore());
  useLayoutEffect(() => store.open(conversationId), [store, conversationId]);

  const [loads, setLoads] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` is the refetch trigger after a reconnect.
  useEffect(() => {
    if (conversationId === null) return;
    let current = true;
    Promise.all([workspaceApi.checkpoints(conversationId), workspaceApi.testRuns(conversationId)]).then(
      ([checkpoints, testRuns]) => {
        if (current) store.load(conversationId, { checkpoints, testRuns });
      },
      (error: unknown) => {
        if (current) toasts.reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, loads, store, toasts]);
  useLiveEvent((event) => store.handle(event));
  useResync((about) => {
    if (about === null || about === conversationId) setLoads((count) => count + 1);
  });

  const actions = useMemo<WorkspaceActions>(
    () => ({
      showDiff: onShowDiff,
      async restoreBefore(checkpoint) {
        try {
          const result = await workspaceApi.restore(checkpoint.id, 'before');
          const undo = result.checkpoint;
          toasts.show({
            text: restoreSummary(result.messagesAfter),
            tone: 'info',
            action: {
              label: 'Undo',
              // The restore is recorded as a step of its own: restoring to before it undoes it.
              run: () =>
                void workspaceApi
                  .restore(undo.id, 'before')
                  .then(
                    () => toasts.show({ text: 'Restore undone: the files are as they were.', tone: 'info' }),
                    toasts.reportError,
                  ),
            },
          });
          return true;
        } catch (error) {
          toasts.reportError(error);
          return false;
        }
      },
    }),
    [onShowDiff, toasts],
  );

  const value = useMemo(() => ({ store, actions }), [store, actions]);
  return <WorkspaceContext value={value}>{props.children}</WorkspaceContext>;
}

function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (value === null) throw new Error('workspace hooks need a WorkspaceProvider above them');
  return value;
}

export function useWorkspaceActions(): WorkspaceActions {
  return useWorkspace().actions;
}

function useWorkspaceSelector<T>(select: (snapshot: WorkspaceSnapshot) => T): T {
  const { store } = useWorkspace();
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  return useSyncExternalStore(subscribe, () => select(store.snapshot));
}

/** The checkpoint taken after this execution (a step that ran), once it exists. */
export function useStepCheckpoint(executionId: string): Checkpoint | undefined {
  return useWorkspaceSelector((snapshot) => snapshot.stepByExecution.get(executionId));
}

/** The step checkpoint reported by this message (the result of a command run directly), once it exists. */
export function useStepCheckpointOfMessage(messageId: string): Checkpoint | undefined {
  return useWorkspaceSelector((snapshot) => snapshot.stepByMessage.get(messageId));
}

/** The test run this execution was, when it ran the conversation's test command. */
export function useTestRunOf(executionId: string): TestRun | undefined {
  return useWorkspaceSelector((snapshot) => snapshot.testRunByExecution.get(executionId));
}

export function useTestRuns(): readonly TestRun[] {
  return useWorkspaceSelector((snapshot) => snapshot.testRuns);
}

/** Grows whenever the workspace's files may have changed: the panel refetches what it shows. */
export function useFilesVersion(): number {
  return useWorkspaceSelector((snapshot) => snapshot.filesVersion);
}
