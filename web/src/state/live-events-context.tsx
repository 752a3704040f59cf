import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../../src/core/api/events.ts';
import { type ConnectionState, connectLiveEvents, type LiveEventHub } from '../api/live-events.ts';

const HubContext = createContext<LiveEventHub | null>(null);

/**
 * Opens the page's one live-event stream. `onGiveUp` runs when the server refused the stream (an HTTP error
 * such as 401 or 503); it answers whether to try again, so a 401 can end in the sign-in message.
 */
export function LiveEventsProvider(props: { children: ReactNode; onGiveUp: () => Promise<boolean> }) {
  const onGiveUp = useRef(props.onGiveUp);
  onGiveUp.current = props.onGiveUp;
  const [hub, setHub] = useState<LiveEventHub | null>(null);
  useEffect(() => {
    const connection = connectLiveEvents({ onGiveUp: () => onGiveUp.current() });
    setHub(connection);
    return () => connection.close();
  }, []);
  return <HubContext value={hub}>{props.children}</HubContext>;
}

/** Calls the latest `listener` for every live event, without resubscribing on each render. */
export function useLiveEvent(listener: (event: LiveEvent) => void): void {
  const hub = useContext(HubContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => hub?.subscribe((event) => latest.current(event)), [hub]);
}

/**
 * Calls `listener` when events may have been missed: after the stream came back from an interruption
 * (`null`), or when the server says so, for one conversation or (`null`) for all (its `resync` event).
 */
export function useResync(listener: (conversationId: string | null) => void): void {
  const hub = useContext(HubContext);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => hub?.onResync((conversationId) => latest.current(conversationId)), [hub]);
}

export function useConnectionState(): ConnectionState {
  const hub = useContext(HubContext);
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => hub?.onState(setState), [hub]);
  return state;
}
