/**
 * One Server-Sent Events connection to `/api/events`, shared by every part of the page. Listeners hear each
 * parsed LiveEvent; after a reconnect they hear `resync`, because events sent while the stream was down are
 * lost and the only safe answer is to refetch.
 *
 * A streamed `fetch` rather than EventSource: EventSource cannot send the `Authorization` header, and the token
 * is no longer a cookie (issue 7 item 2). eventsource-parser reads the stream; reconnecting is ours.
 */
import { createParser } from 'eventsource-parser';
import { type LiveEvent, LiveEventSchema } from '../../../src/core/api/events.ts';
import { authorizationHeader, requestCredentials } from './session-token.ts';

export type LiveEventListener = (event: LiveEvent) => void;
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LiveEventHub {
  subscribe(listener: LiveEventListener): () => void;
  /**
   * Refetch what you show: after a reconnect (`null`: anything may have changed), or when the server says
   * events were missed (its `resync` event, for one conversation or, with `null`, for all).
   */
  onResync(listener: (conversationId: string | null) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** After an HTTP error (401, 503) we ask `onGiveUp` first, then back off to this. */
const MAX_RETRY_MS = 15_000;
/** After a lost connection (server restart, network): retry soon, as EventSource would (it waits ~3 s). */
const MAX_RECONNECT_MS = 3_000;

export function connectLiveEvents(options: { onGiveUp: () => Promise<boolean> }): LiveEventHub {
  const listeners = new Set<LiveEventListener>();
  const resyncListeners = new Set<(conversationId: string | null) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let controller: AbortController | null = null;
  let hadConnection = false;
  let lostSinceOpen = false;
  let retryMs = 1_000;
  let reconnectMs = 500;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (state: ConnectionState) => {
    for (const listener of stateListeners) listener(state);
  };

  const deliver = (data: string) => {
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(data);
    } catch {
      return;
    }
    // An event type this build does not know (a newer server) is skipped, not fatal.
    const parsed = LiveEventSchema.safeParse(parsedJson);
    if (!parsed.success) return;
    if (parsed.data.type === 'resync') {
      for (const listener of resyncListeners) listener(parsed.data.conversationId);
      return;
    }
    for (const listener of listeners) listener(parsed.data);
  };

  /** The connection dropped or never came up: try again shortly, and resync once it is back. */
  const lost = () => {
    if (closed) return;
    lostSinceOpen = true;
    setState('reconnecting');
    retryTimer = setTimeout(() => void open(), reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, MAX_RECONNECT_MS);
  };

  /** The server answered with an error: find out whether to go on (a 401 ends in the sign-in message). */
  const refused = () => {
    lostSinceOpen = true;
    setState('closed');
    void options.onGiveUp().then((retry) => {
      if (!retry || closed) return;
      retryTimer = setTimeout(() => void open(), retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  };

  const open = async () => {
    if (closed) return;
    setState('connecting');
    const current = new AbortController();
    controller = current;
    let response: Response;
    try {
      response = await fetch('/api/events', {
        headers: { Accept: 'text/event-stream', ...authorizationHeader() },
        credentials: requestCredentials(),
        cache: 'no-store',
        signal: current.signal,
      });
    } catch {
      lost();
      return;
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel().catch(() => {});
      if (!closed) refused();
      return;
    }
    retryMs = 1_000;
    reconnectMs = 500;
    setState('open');
    if (hadConnection && lostSinceOpen) for (const listener of resyncListeners) listener(null);
    hadConnection = true;
    lostSinceOpen = false;
    const parser = createParser({ onEvent: (message) => deliver(message.data) });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // Cut mid-stream (server stopped, dropped us as too slow, or we closed): handled below.
    }
    lost();
  };

  void open();

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
      controller?.abort();
    },
  };
}
