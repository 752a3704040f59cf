import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventBus } from '../core/event-bus.ts';
import { actorOf } from './access.ts';
import { HttpError } from './http-errors.ts';
import { type ConversationVisibility, eventFilter } from './live-event-filter.ts';
import { CONTENT_SECURITY_POLICY } from './security.ts';

/** A comment line every so often keeps proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export interface LiveEventLimits {
  /** Streams open at once; one more is answered 503. A person has a few tabs, each holds one. */
  maxConnections: number;
  /**
   * Bytes a stream may have waiting to be sent (in Node and its socket) before the next event: past it the
   * client is not reading, and it is dropped instead of growing the server's memory without bound. A dropped
   * page reconnects and refetches (its `resync`), so nothing is lost for a client that was merely slow.
   */
  maxBufferedBytes: number;
}

export const DEFAULT_LIVE_EVENT_LIMITS: LiveEventLimits = {
  maxConnections: 32,
  maxBufferedBytes: 1024 * 1024,
};

/**
 * Server-Sent Events on `/api/events`: one `data:` line of JSON per live event. SSE rather than WebSocket
 * because events only flow to the browser; the page reads it with a streamed `fetch`, which (unlike
 * EventSource) can send the `Authorization` header (issue 7 item 2).
 *
 * Each write checks what is still queued for that client, so a client that stops reading costs at most
 * `maxBufferedBytes` plus one event before it is dropped, and the number of streams is capped (issue 7 item 7).
 */
export class LiveEventStreams {
  readonly #events: EventBus;
  readonly #limits: LiveEventLimits;
  readonly #open = new Set<ServerResponse>();
  readonly #visibility: ConversationVisibility | undefined;

  /** `visibility`: whose conversations each stream's actor may see (absent: every stream gets every event). */
  constructor(
    events: EventBus,
    limits: LiveEventLimits = DEFAULT_LIVE_EVENT_LIMITS,
    visibility?: ConversationVisibility,
  ) {
    this.#events = events;
    this.#limits = limits;
    this.#visibility = visibility;
  }

  get connectionCount(): number {
    return this.#open.size;
  }

  /** Bytes queued for all open streams together (what the server holds for clients that are behind). */
  get bufferedBytes(): number {
    let total = 0;
    for (const response of this.#open) total += response.writableLength;
    return total;
  }

  stream(request: FastifyRequest, reply: FastifyReply): void {
    if (this.#open.size >= this.#limits.maxConnections) {
      reply.header('Retry-After', '5');
      throw new HttpError(
        503,
        'too_many_streams',
        `${this.#limits.maxConnections} live-event streams are open already (one per open tab of this app); ` +
          'close some tabs of ModelProgrammer, then reload',
      );
    }
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
    this.#open.add(response);
    let unsubscribe: () => void = () => {};
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.#open.delete(response);
    };
    const send = (text: string) => {
      if (response.destroyed) return;
      if (response.writableLength > this.#limits.maxBufferedBytes) {
        // The client stopped reading: end it rather than hold what it will never take.
        close();
        response.destroy();
        return;
      }
      response.write(text);
    };
    // Only events of conversations this stream's actor may see (live-event-filter.ts).
    const forward = eventFilter(actorOf(request), this.#visibility, (event) =>
      send(`data: ${JSON.stringify(event)}\n\n`),
    );
    unsubscribe = this.#events.subscribe((event) => forward(event));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
    request.raw.on('close', close);
    response.on('close', close);
    response.on('error', close);
    send(': connected\n\n');
  }
}
