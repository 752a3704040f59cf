import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../core/api/events.ts';
import { EventBus, type EventOrigin } from '../core/event-bus.ts';
import { packEvents, unpackEvents } from '../core/live-event-envelope.ts';
import { LiveEventRelay } from './live-event-relay.ts';

const created = (conversationId: string): LiveEvent => ({ type: 'conversation-created', conversationId });

/** A relay on a channel that records what it sends, and fails while `failing` is set. */
function relayed() {
  const events = new EventBus();
  const sent: LiveEvent[][] = [];
  const heard: [LiveEvent, EventOrigin][] = [];
  const errors: unknown[] = [];
  const state = { failing: false };
  events.subscribe((event, origin) => heard.push([event, origin]));
  const relay = new LiveEventRelay({
    events,
    origin: 'me',
    channel: {
      notify: async (payload) => {
        if (state.failing) throw new Error('connection down');
        sent.push(unpackEvents(payload)?.events ?? []);
      },
    },
    onError: (error) => errors.push(error),
  });
  return { events, relay, sent, heard, errors, state };
}

describe('the live-event relay', () => {
  it('sends what this process publishes, in order, and what arrives while a send is under way together', async () => {
    const { events, relay, sent } = relayed();
    events.publish(created('a'));
    events.publish(created('b'));
    events.publish(created('c'));
    await relay.whenSent();
    expect(sent).toEqual([[created('a')], [created('b'), created('c')]]);
  });

  it("publishes other processes' events here as from elsewhere, never sends them back, and skips its own", async () => {
    const { relay, sent, heard } = relayed();
    relay.receive(packEvents('another', [created('x')])[0]!);
    relay.receive(packEvents('me', [created('mine')])[0]!);
    await relay.whenSent();
    expect(heard).toEqual([[created('x'), 'elsewhere']]);
    expect(sent).toEqual([]);
  });

  it('makes up for failed sends with a resync to the others, and tells its own clients to resync on reconnection', async () => {
    const { events, relay, sent, heard, errors, state } = relayed();
    state.failing = true;
    events.publish(created('lost-1'));
    await relay.whenSent();
    events.publish(created('lost-2'));
    await relay.whenSent();
    expect(errors).toHaveLength(1);

    state.failing = false;
    relay.reconnected();
    await relay.whenSent();
    expect(sent).toEqual([[{ type: 'resync', conversationId: null }]]);
    expect(heard.at(-1)).toEqual([{ type: 'resync', conversationId: null }, 'elsewhere']);

    events.publish(created('after'));
    await relay.whenSent();
    expect(sent.at(-1)).toEqual([created('after')]);
  });
});
