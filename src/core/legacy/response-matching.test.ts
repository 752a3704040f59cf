import { describe, expect, it } from 'vitest';
import { matchResponses } from './response-matching.ts';

const minute = 60_000;

describe('matchResponses', () => {
  it('links a response to the message with its text, written at the same time', () => {
    const matched = matchResponses(
      [{ id: 8, content: 'Great!', at: 10 * minute }],
      [
        { ref: 'other', content: 'Something else', firstSeenAt: 10 * minute, writtenAt: 10 * minute },
        { ref: 'answer', content: 'Great!', firstSeenAt: 10 * minute + 1000, writtenAt: 10 * minute + 1000 },
      ],
    );
    expect([...matched]).toEqual([[8, 'answer']]);
  });

  it('leaves a response alone when the only message with its text was written long before or after', () => {
    const matched = matchResponses(
      [{ id: 1, content: 'ok', at: 0 }],
      [{ ref: 'late', content: 'ok', firstSeenAt: 30 * minute, writtenAt: 30 * minute }],
    );
    expect(matched.size).toBe(0);
  });

  it('tells apart two identical answers by when each position first appeared', () => {
    // The original stored one row for both answers (same text), written at the first one's time; the second
    // answer is a new position first seen 20 minutes later.
    const matched = matchResponses(
      [
        { id: 2, content: 'Anything else?', at: 20 * minute },
        { id: 1, content: 'Anything else?', at: 0 },
      ],
      [
        { ref: 'second', content: 'Anything else?', firstSeenAt: 20 * minute, writtenAt: 0 },
        { ref: 'first', content: 'Anything else?', firstSeenAt: 0, writtenAt: 0 },
      ],
    );
    expect(matched.get(1)).toBe('first');
    expect(matched.get(2)).toBe('second');
  });

  it('uses each message once: a second response with the same text stays unlinked', () => {
    const matched = matchResponses(
      [
        { id: 1, content: 'same', at: 0 },
        { id: 2, content: 'same', at: 1000 },
      ],
      [{ ref: 'only', content: 'same', firstSeenAt: 1000, writtenAt: 1000 }],
    );
    expect([...matched]).toEqual([[2, 'only']]);
  });
});
