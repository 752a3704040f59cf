/**
 * Issue 7 item 7: the number of live-event streams is capped. Each stream holds a socket, a subscription and up
 * to its buffer bound; before, any number could be opened. Beyond the cap the server answers 503 with a message
 * a person can act on, and a slot comes back when a stream closes.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_EVENT_LIMITS } from '../../src/server/live-events.ts';
import { openRawEventStream, rawRequest, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await t?.close();
});

describe('live-event streams', () => {
  it(`are capped at ${DEFAULT_LIVE_EVENT_LIMITS.maxConnections}: one more is answered 503 until one closes`, async () => {
    const cap = DEFAULT_LIVE_EVENT_LIMITS.maxConnections;
    for (let index = 0; index < cap; index++) {
      const stream = await openRawEventStream(t.app.port, t.token);
      sockets.push(stream.socket);
      expect(stream.status, `stream ${index + 1}`).toBe(200);
    }

    const refused = await rawRequest(t.app.port, {
      path: '/api/events',
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    const error = (JSON.parse(refused.body) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('too_many_streams');
    expect(error.message).toMatch(/live-event streams are open already.*close some tabs/);

    // The rest of the API still answers.
    expect((await t.api('GET', '/api/conversations')).status).toBe(200);

    // Without the token, a stream is refused before it could take a slot (nobody else can fill them).
    expect((await rawRequest(t.app.port, { path: '/api/events' })).status).toBe(401);

    // A stream that closes gives its slot back.
    const closing = sockets.pop()!;
    closing.destroy();
    await expect
      .poll(async () => {
        const stream = await openRawEventStream(t.app.port, t.token);
        sockets.push(stream.socket);
        return stream.status;
      })
      .toBe(200);
  });
});
