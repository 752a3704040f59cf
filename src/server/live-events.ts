import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventBus } from '../core/event-bus.ts';
import { CONTENT_SECURITY_POLICY } from './security.ts';

/** A comment line every so often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: one `data:` line of JSON per live event. SSE rather than WebSocket because events only
 * flow to the browser, EventSource reconnects by itself, and it carries the auth cookie like any request.
 */
export function streamLiveEvents(events: EventBus, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  });
  response.write(': connected\n\n');
  const unsubscribe = events.subscribe((event) => {
    response.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  request.raw.on('close', close);
  response.on('error', close);
}
