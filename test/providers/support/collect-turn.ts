import type { TurnEvent } from '../../../src/core/provider.ts';

export type FinishEvent = Extract<TurnEvent, { type: 'finish' }>;

/** Runs a turn to its end and returns every event plus the finish event (which must be last and single). */
export async function collectTurn(
  turn: AsyncIterable<TurnEvent>,
): Promise<{ events: TurnEvent[]; finish: FinishEvent }> {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  const finishes = events.filter((event) => event.type === 'finish');
  if (finishes.length !== 1 || events.at(-1)?.type !== 'finish') {
    throw new Error(
      `a turn must end with exactly one finish event; got ${events.map((event) => event.type).join(', ')}`,
    );
  }
  return { events, finish: finishes[0] as FinishEvent };
}

/** The text a UI would show from the deltas alone. */
export function streamedText(events: TurnEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

export function streamedArguments(events: TurnEvent[], index: number): string {
  return events
    .map((event) => (event.type === 'tool-call-delta' && event.index === index ? event.argumentsDelta : ''))
    .join('');
}

/** A retry policy that never waits, recording what it was asked to wait. */
export function instantRetry(waits: number[] = []) {
  return {
    maxRetries: 3,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 120_000,
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}
