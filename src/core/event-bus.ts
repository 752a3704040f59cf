import type { LiveEvent } from './api/events.ts';

/**
 * `here`: this process published it; `elsewhere`: another server process on the same database did, and it
 * was relayed (live-event-relay.ts), so it must not be relayed back.
 */
export type EventOrigin = 'here' | 'elsewhere';

export type LiveEventListener = (event: LiveEvent, origin: EventOrigin) => void;

/**
 * In-process fan-out of live events from the agent layer to whoever listens (the server's SSE clients).
 * A listener that throws is a bug in that listener; it must not stop the others from hearing the event.
 */
export class EventBus {
  readonly #listeners = new Set<LiveEventListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = (error) => console.error(error)) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: LiveEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: LiveEvent, origin: EventOrigin = 'here'): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, origin);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
