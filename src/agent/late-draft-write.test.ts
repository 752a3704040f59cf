/**
 * A streaming answer's draft is written in the background while tokens arrive. With an async store a draft
 * write can still be in flight when the stream ends: the final write must wait for it, or the late draft
 * lands over the final answer (its half-streamed tool call replacing the whole one).
 */
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { EventBus } from '../core/event-bus.ts';
import type { TurnEvent, TurnInput } from '../core/provider.ts';
import { HumanProvider } from '../providers/human.ts';
import type { Store } from '../store/store.ts';
import { ModelTurns } from './model-turns.ts';

const WHOLE_CALL = { id: 'call-1', name: 'run_command', arguments: '{"command":"ls -la"}' };

/** A promise the test opens when it is ready. */
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((open) => {
    resolve = open;
  });
  return { promise, resolve };
}

/** Streams half a tool call, waits until its draft is being written, then finishes with the whole call. */
class HalfThenWholeProvider extends HumanProvider {
  readonly #draftWriting: Promise<void>;
  readonly #streamEnded: () => void;

  constructor(draftWriting: Promise<void>, streamEnded: () => void) {
    super();
    this.#draftWriting = draftWriting;
    this.#streamEnded = streamEnded;
  }

  override async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    yield { type: 'tool-call-start', index: 0, id: WHOLE_CALL.id, name: WHOLE_CALL.name };
    yield { type: 'tool-call-delta', index: 0, id: WHOLE_CALL.id, argumentsDelta: '{"comm' };
    await this.#draftWriting;
    yield {
      type: 'finish',
      reason: 'tool-calls',
      message: { content: '', reasoning: '', toolCalls: [{ ...WHOLE_CALL, complete: true }] },
      usage: null,
      record: {
        provider: this.id,
        model: input.model,
        baseUrl: null,
        request: null,
        response: '',
        timeToFirstTokenMs: 1,
        durationMs: 1,
      },
      failure: null,
    };
    this.#streamEnded();
  }
}

describeEachEngine('a draft write in flight when the stream ends', (engine) => {
  let store: Store;

  beforeEach(async () => {
    store = await engine.openStore();
  });

  it('lands before the final answer, never over it', async () => {
    const writing = gate();
    const ended = gate();
    const order: string[] = [];
    const updateDraft = store.messages.updateDraft.bind(store.messages);
    store.messages.updateDraft = async (...args) => {
      order.push('draft started');
      writing.resolve();
      // Held until the stream has ended, so the final write is ready to go while this one is in flight.
      await ended.promise;
      await updateDraft(...args);
      order.push('draft written');
    };
    const finishDraft = store.messages.finishDraft.bind(store.messages);
    store.messages.finishDraft = (...args) => {
      order.push('final started');
      return finishDraft(...args);
    };
    const provider = new HalfThenWholeProvider(writing.promise, ended.resolve);
    const turns = new ModelTurns({
      store,
      events: new EventBus(),
      providers: { resolve: async () => ({ provider, model: 'scripted' }) },
      persistIntervalMs: 1,
    });
    const conversation = await store.conversations.create({});
    await store.messages.append(conversation.id, { role: 'user', author: 'human', content: 'list' });
    const { messageId } = await turns.start(conversation.id);
    await turns.whenIdle();

    expect(order.slice(0, 3)).toEqual(['draft started', 'draft written', 'final started']);
    const message = await store.messages.get(messageId);
    expect(message).toMatchObject({ status: 'complete', toolCalls: [WHOLE_CALL] });
  });
});
