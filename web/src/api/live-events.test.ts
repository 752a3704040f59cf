/**
 * The page's live-event hub turns the server's `resync` event (issue 10 item 4: events another server could not
 * relay, or a server's own database connection came back) into the same refetch a reconnect causes, for the
 * conversation it names or (null) for all, and does not hand it to event listeners.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../../src/core/api/events.ts';
import { connectLiveEvents } from './live-events.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A server whose stream sends `events` and then stays open, as a live one does. */
function serverSending(events: unknown[]): void {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const encoder = new TextEncoder();
      for (const event of events) controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
    },
  });
  vi.stubGlobal('sessionStorage', { getItem: () => 'token' });
  vi.stubGlobal(
    'fetch',
    async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  );
}

describe('the live-event hub', () => {
  it('turns resync into a refetch of what it names, and passes the other events on', async () => {
    const created: LiveEvent = { type: 'conversation-created', conversationId: 'c2' };
    serverSending([
      { type: 'resync', conversationId: 'c1' },
      { type: 'resync', conversationId: null },
      created,
    ]);
    const hub = connectLiveEvents({ onGiveUp: async () => false });
    const resyncs: (string | null)[] = [];
    const events: LiveEvent[] = [];
    hub.onResync((conversationId) => resyncs.push(conversationId));
    const all = new Promise<void>((resolve) =>
      hub.subscribe((event) => {
        events.push(event);
        resolve();
      }),
    );
    await all;
    hub.close();
    expect(resyncs).toEqual(['c1', null]);
    expect(events).toEqual([created]);
  });
});
