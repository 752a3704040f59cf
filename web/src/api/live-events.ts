/**
 * One Server-Sent Events connection to `/api/events`, shared by every part of the page. Listeners hear each
 * parsed LiveEvent; after a reconnect they hear `resync`, because events sent while the stream was down are
 * lost and the only safe answer is to refetch.
 */
import { type LiveEvent, LiveEventSchema } from '../../../src/core/api/events.ts';

export type LiveEventListener = (event: LiveEvent) => void;
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LiveEventHub {
  subscribe(listener: LiveEventListener): () => void;
  onResync(listener: () => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** EventSource gives up for good on an HTTP error (401, 5xx); we retry ourselves, backing off to this. */
const MAX_RETRY_MS = 15_000;

export function connectLiveEvents(options: { onGiveUp: () => Promise<boolean> }): LiveEventHub {
  const listeners = new Set<LiveEventListener>();
  const resyncListeners = new Set<() => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let source: EventSource | null = null;
  let hadConnection = false;
  let lostSinceOpen = false;
  let retryMs = 1_000;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (state: ConnectionState) => {
    for (const listener of stateListeners) listener(state);
  };

  const open = () => {
    if (closed) return;
    setState('connecting');
    source = new EventSource('/api/events');
    source.onopen = () => {
      retryMs = 1_000;
      setState('open');
      if (hadConnection && lostSinceOpen) for (const listener of resyncListeners) listener();
      hadConnection = true;
      lostSinceOpen = false;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      // An event type this build does not know (a newer server) is skipped, not fatal.
      const parsed = LiveEventSchema.safeParse(data);
      if (!parsed.success) return;
      for (const listener of listeners) listener(parsed.data);
    };
    source.onerror = () => {
      lostSinceOpen = true;
      if (source?.readyState !== EventSource.CLOSED) {
        setState('reconnecting');
        return;
      }
      setState('closed');
      source = null;
      void options.onGiveUp().then((retry) => {
        if (!retry || closed) return;
        retryTimer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      });
    };
  };

  open();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
    },
  };
}
