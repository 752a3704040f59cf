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
import { type Execution, type FileAction, type Proposal, terminalApi } from '../api/terminal-api.ts';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { type LiveOutput, TerminalStore } from './terminal-store.ts';
import { useToasts } from './toasts.tsx';

export interface TerminalActions {
  /** Runs a proposal, with the edited text when it differs; resolves once the server answered. */
  run(proposal: Proposal, command: string): Promise<Execution | null>;
  /** Applies a proposed file action, as the person changed it (`null`: as proposed). */
  applyAction(proposal: Proposal, action: FileAction | null): Promise<Execution | null>;
  reject(proposal: Proposal, reason: string): Promise<boolean>;
  /** Runs the pending proposals of a message one after another, each once the one before has ended. */
  runAll(proposals: Proposal[], commands: ReadonlyMap<string, string>): Promise<void>;
  interrupt(executionId: string): void;
  runDirect(command: string): Promise<boolean>;
  propose(messageId: string): Promise<boolean>;
}

interface TerminalContextValue {
  store: TerminalStore;
  actions: TerminalActions;
}

const TerminalContext = createContext<TerminalContextValue | null>(null);

/** The open conversation's terminal: proposals and running commands, fed by the live events. */
export function TerminalProvider(props: { conversationId: string | null; children: ReactNode }) {
  const { conversationId } = props;
  const toasts = useToasts();
  const [store] = useState(
    () => new TerminalStore({ schedule: (flush) => void requestAnimationFrame(() => flush()) }),
  );
  useLayoutEffect(() => store.open(conversationId), [store, conversationId]);

  const [loads, setLoads] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` is the refetch trigger after a reconnect.
  useEffect(() => {
    if (conversationId === null) return;
    let current = true;
    terminalApi.proposals(conversationId).then(
      (proposals) => {
        if (current) store.load(conversationId, proposals);
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

  const actions = useMemo<TerminalActions>(() => {
    const waitForEnd = (executionId: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const known = store.execution(executionId);
          if (
            known === undefined ||
            known.endedAt !== null ||
            store.conversationId !== known.conversationId
          ) {
            unsubscribe();
            resolve();
          }
        };
        const unsubscribe = store.subscribeExecution(executionId, check);
        check();
      });
    const run = async (proposal: Proposal, command: string) => {
      try {
        const execution = await terminalApi.run(proposal.id, command === proposal.command ? {} : { command });
        store.applyExecution(execution);
        return execution;
      } catch (error) {
        toasts.reportError(error);
        return null;
      }
    };
    return {
      run,
      async applyAction(proposal, action) {
        try {
          const execution = await terminalApi.run(proposal.id, action === null ? {} : { action });
          store.applyExecution(execution);
          return execution;
        } catch (error) {
          toasts.reportError(error);
          return null;
        }
      },
      async reject(proposal, reason) {
        try {
          store.applyProposal(
            await terminalApi.reject(proposal.id, reason.trim() === '' ? {} : { reason: reason.trim() }),
          );
          return true;
        } catch (error) {
          toasts.reportError(error);
          return false;
        }
      },
      async runAll(proposals, commands) {
        for (const proposal of proposals) {
          if (proposal.status !== 'proposed') continue;
          const execution = await run(proposal, commands.get(proposal.id) ?? proposal.command);
          if (execution === null) return;
          await waitForEnd(execution.id);
        }
      },
      interrupt(executionId) {
        terminalApi.interrupt(executionId).then(
          (execution) => store.applyExecution(execution),
          (error: unknown) => toasts.reportError(error),
        );
      },
      async runDirect(command) {
        const id = store.conversationId;
        if (id === null) return false;
        try {
          store.applyExecution(await terminalApi.runDirect(id, { command }));
          return true;
        } catch (error) {
          toasts.reportError(error);
          return false;
        }
      },
      async propose(messageId) {
        try {
          const proposals = await terminalApi.propose(messageId);
          for (const proposal of proposals) store.applyProposal(proposal);
          if (proposals.length === 0)
            toasts.show({ text: 'This message has no command to run.', tone: 'info' });
          return true;
        } catch (error) {
          toasts.reportError(error);
          return false;
        }
      },
    };
  }, [store, toasts]);

  const value = useMemo(() => ({ store, actions }), [store, actions]);
  return <TerminalContext value={value}>{props.children}</TerminalContext>;
}

function useTerminal(): TerminalContextValue {
  const value = useContext(TerminalContext);
  if (value === null) throw new Error('terminal hooks need a TerminalProvider above them');
  return value;
}

/** The store itself, for a handler that reads it at the moment a key is pressed (`p`: the waiting commands). */
export function useTerminalStore(): TerminalStore {
  return useTerminal().store;
}

export function useTerminalActions(): TerminalActions {
  return useTerminal().actions;
}

export function useProposals(messageId: string): Proposal[] {
  const { store } = useTerminal();
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeMessage(messageId, listener),
    [store, messageId],
  );
  return useSyncExternalStore(subscribe, () => store.proposalsFor(messageId));
}

export function useLiveOutput(executionId: string | null): LiveOutput | undefined {
  const { store } = useTerminal();
  const subscribe = useCallback(
    (listener: () => void) =>
      executionId === null ? () => undefined : store.subscribeExecution(executionId, listener),
    [store, executionId],
  );
  return useSyncExternalStore(subscribe, () =>
    executionId === null ? undefined : store.liveOutput(executionId),
  );
}

export function useExecution(executionId: string): Execution | undefined {
  const { store } = useTerminal();
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeExecution(executionId, listener),
    [store, executionId],
  );
  return useSyncExternalStore(subscribe, () => store.execution(executionId));
}

export function useDirectRuns(): Execution[] {
  const { store } = useTerminal();
  const subscribe = useCallback((listener: () => void) => store.subscribeDirectRuns(listener), [store]);
  return useSyncExternalStore(subscribe, () => store.directRuns());
}
