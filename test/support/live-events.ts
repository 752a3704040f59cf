import { type LiveEvent, LiveEventSchema } from '../../src/core/api/events.ts';
import type { TestApp } from './test-app.ts';

export interface LiveEvents {
  /** The first event (already received or still to come) that matches; rejects if the stream ends first. */
  seen<T extends LiveEvent>(predicate: (event: LiveEvent) => event is T): Promise<T>;
  seen(predicate: (event: LiveEvent) => boolean): Promise<LiveEvent>;
  /** Every event received so far, in the order the server sent them. */
  readonly received: readonly LiveEvent[];
  close(): Promise<void>;
}

/**
 * The server's live events as a test waits for them: a test synchronises on what the server announced
 * (a command started, one was queued) instead of sleeping or polling.
 */
export async function openLiveEvents(t: TestApp): Promise<LiveEvents> {
  const response = await t.api('GET', '/api/events', undefined, { accept: 'text/event-stream' });
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || response.body === null || !type.startsWith('text/event-stream')) {
    throw new Error(`GET /api/events answered ${response.status} (${type}), not an event stream`);
  }
  const reader = response.body.getReader();
  const received: LiveEvent[] = [];
  const waiters = new Set<{
    predicate: (event: LiveEvent) => boolean;
    resolve: (event: LiveEvent) => void;
  }>();
  let ended = false;
  let failEnded: (() => void)[] = [];
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const parts = buffer.split('\n\n');
      buffer = parts.pop() ?? '';
      for (const part of parts) {
        const data = part.split('\n').find((line) => line.startsWith('data: '));
        if (data === undefined) continue;
        const event = LiveEventSchema.parse(JSON.parse(data.slice(6)));
        received.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(event)) {
            waiters.delete(waiter);
            waiter.resolve(event);
          }
        }
      }
    }
    ended = true;
    for (const fail of failEnded) fail();
    failEnded = [];
  })();
  return {
    received,
    seen: (predicate: (event: LiveEvent) => boolean) =>
      new Promise<LiveEvent>((resolve, reject) => {
        const found = received.find(predicate);
        if (found !== undefined) return resolve(found);
        if (ended) return reject(new Error('the live event stream ended before the event came'));
        waiters.add({ predicate, resolve });
        failEnded.push(() => reject(new Error('the live event stream ended before the event came')));
      }),
    close: async () => {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  } as LiveEvents;
}
