/**
 * Issue 7 item 7: a live-event client that stops reading must not make the server buffer without bound. Before,
 * every event was written to every stream whatever the stream still held, so one paused socket grew the server's
 * memory by everything published. Now a stream that has more than its bound waiting is dropped.
 */
import { createParser } from 'eventsource-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/api/events.ts';
import { liveEventsOf } from '../../src/server/create-server.ts';
import { type BareServer, openRawEventStream, startBareServer } from '../support/test-app.ts';

const MAX_BUFFERED = 256 * 1024;
const EVENT_TEXT = 'x'.repeat(32 * 1024);
/** Far more than any socket buffers hold (the kernel takes a few MB): without the bound, the server holds it. */
const MAX_EVENTS = 4_000;

let server: BareServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function outputEvent(sequence: number): LiveEvent {
  return {
    type: 'command-output-delta',
    conversationId: 'c',
    executionId: `e${sequence}`,
    text: EVENT_TEXT,
  };
}

describe('a live-event client that stops reading', () => {
  it('is dropped once it holds more than the bound, while a client that reads keeps every event', async () => {
    server = await startBareServer({ liveEvents: { maxConnections: 8, maxBufferedBytes: MAX_BUFFERED } });
    const streams = liveEventsOf(server.server)!;

    // A healthy client that reads everything, through the same parser the page uses.
    const healthy = await fetch(`${server.baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    let received = 0;
    let waiting: (() => void) | undefined;
    const parser = createParser({
      onEvent: () => {
        received++;
        waiting?.();
      },
    });
    const reader = healthy.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
        if (done) return;
        parser.feed(value);
      }
    })();

    const slow = await openRawEventStream(server.port, server.token);
    expect(slow.status).toBe(200);
    const slowClosed = new Promise<void>((resolve) => slow.socket.once('close', () => resolve()));
    slow.socket.on('error', () => {});
    expect(streams.connectionCount).toBe(2);

    // Publish in lockstep with the healthy client: each event is read by it before the next goes out, so only
    // the paused client can fall behind.
    let published = 0;
    let mostBuffered = 0;
    while (streams.connectionCount === 2 && published < MAX_EVENTS) {
      const seen = new Promise<void>((resolve) => {
        waiting = resolve;
      });
      server.events.publish(outputEvent(published));
      published++;
      mostBuffered = Math.max(mostBuffered, streams.bufferedBytes);
      await seen;
    }

    expect(streams.connectionCount, `still open after ${published} events`).toBe(1);
    // What the server held never went past the bound and one event (plus HTTP chunk framing and what the
    // healthy stream had in flight, a few hundred bytes).
    const eventBytes = JSON.stringify(outputEvent(published)).length + 'data: \n\n'.length;
    expect(mostBuffered).toBeLessThanOrEqual(MAX_BUFFERED + eventBytes + 4096);
    expect(received).toBe(published);
    console.info(
      `slow reader dropped after ${published} events of ${eventBytes} B; the server held at most ${mostBuffered} B for it`,
    );

    // The server closed the paused client's connection: reading it now ends it.
    slow.socket.resume();
    await slowClosed;

    // The healthy client still hears what comes next.
    const next = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    server.events.publish(outputEvent(published));
    await next;
    await reader.cancel();
  });
});
