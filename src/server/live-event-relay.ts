/**
 * Live events between server processes on one PostgreSQL database (issue 10 item 4): every event this process
 * publishes on its EventBus is sent on the database's channel (NOTIFY), and every event another process sent
 * is published on this bus, marked `elsewhere`, so this process's streams carry it and it is never sent back.
 * On SQLite there is no relay: one process owns the file.
 *
 * Events are sent after the transaction that wrote them committed (the agent publishes after commit), in the
 * order they were published, by one connection and one statement at a time, so another process receives them
 * in that order and finds their rows when its clients refetch. Those published while a send is under way go
 * together in the next payloads (core/live-event-envelope.ts packs them and fits what is too large).
 *
 * What cannot be relayed is made up for with `resync` (clients refetch): to this process's clients after its
 * connection came back (they missed what others sent meanwhile), and to the others' after sending failed.
 */

import type { LiveEvent } from '../core/api/events.ts';
import type { EventBus, EventOrigin } from '../core/event-bus.ts';
import { packEvents, unpackEvents } from '../core/live-event-envelope.ts';

export interface EventChannel {
  /** Sends one payload to every process listening (this one too). */
  notify(payload: string): Promise<void>;
}

export interface LiveEventRelayOptions {
  events: EventBus;
  channel: EventChannel;
  /** This process's id (core/server-process.ts): its own payloads, heard back, are skipped. */
  origin: string;
  /** A send failed (told once until one succeeds again). */
  onError?: (error: unknown) => void;
}

const EVERYTHING: LiveEvent = { type: 'resync', conversationId: null };

export class LiveEventRelay {
  readonly #options: LiveEventRelayOptions;
  #queue: LiveEvent[] = [];
  #sending: Promise<void> | null = null;
  /** A send failed: the others missed events, and hear `resync` first with the next payload. */
  #missed = false;
  readonly #unsubscribe: () => void;

  constructor(options: LiveEventRelayOptions) {
    this.#options = options;
    this.#unsubscribe = options.events.subscribe((event, origin) => this.#published(event, origin));
  }

  /** A payload heard on the channel: another process's events go to this process's streams. */
  receive(payload: string): void {
    const unpacked = unpackEvents(payload);
    if (unpacked === null || unpacked.origin === this.#options.origin) return;
    for (const event of unpacked.events) this.#options.events.publish(event, 'elsewhere');
  }

  /** The connection came back: this process's clients refetch, and the others do if our sends failed. */
  reconnected(): void {
    this.#options.events.publish(EVERYTHING, 'elsewhere');
    if (this.#missed) this.#flush();
  }

  /** Resolves once every event published so far was sent (or failed to be). */
  async whenSent(): Promise<void> {
    while (this.#sending !== null) await this.#sending;
  }

  close(): void {
    this.#unsubscribe();
  }

  #published(event: LiveEvent, origin: EventOrigin): void {
    if (origin !== 'here') return;
    this.#queue.push(event);
    this.#flush();
  }

  #flush(): void {
    if (this.#sending !== null) return;
    this.#sending = this.#send().finally(() => {
      this.#sending = null;
    });
  }

  async #send(): Promise<void> {
    while (this.#queue.length > 0 || this.#missed) {
      const missed = this.#missed;
      const events = this.#queue.splice(0);
      if (missed) events.unshift(EVERYTHING);
      for (const payload of packEvents(this.#options.origin, events)) {
        try {
          await this.#options.channel.notify(payload);
        } catch (error) {
          // What is left of this batch would fail alike: dropped, and made up for by a resync once sends work.
          if (!this.#missed) this.#options.onError?.(error);
          this.#missed = true;
          return;
        }
        if (missed) this.#missed = false;
      }
    }
  }
}
