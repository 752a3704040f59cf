import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useState,
  useSyncExternalStore,
} from 'react';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { type CallOutcome, type MessageDraft, ModelStreamStore } from './model-stream-store.ts';

const StoreContext = createContext<ModelStreamStore | null>(null);

/** Feeds the page's model streams from the live events; cards read them with `useMessageDraft`. */
export function ModelStreamProvider(props: { children: ReactNode }) {
  const [store] = useState(() => new ModelStreamStore());
  useLiveEvent((event) => store.handle(event));
  // One conversation's resync stands for an event too large to relay, never a delta: its streams go on.
  useResync((about) => {
    if (about === null) store.reset();
  });
  return <StoreContext value={store}>{props.children}</StoreContext>;
}

function useStore(): ModelStreamStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useMessageDraft needs a ModelStreamProvider above it');
  return store;
}

export function useMessageDraft(messageId: string): MessageDraft | undefined {
  const store = useStore();
  const subscribe = useCallback(
    (listener: () => void) => store.subscribe(messageId, listener),
    [store, messageId],
  );
  return useSyncExternalStore(subscribe, () => store.draft(messageId));
}

export function useCallOutcome(messageId: string): CallOutcome | undefined {
  const store = useStore();
  const subscribe = useCallback(
    (listener: () => void) => store.subscribe(messageId, listener),
    [store, messageId],
  );
  return useSyncExternalStore(subscribe, () => store.outcome(messageId));
}
