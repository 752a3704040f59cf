import { describe, expect, it } from 'vitest';
import { KeyedAttemptLimit } from './keyed-attempt-limit.ts';

describe('failed attempts counted per key', () => {
  it('refuses one key past its limit until its window ends, and leaves other keys alone', () => {
    const clock = { now: 0 };
    const limit = new KeyedAttemptLimit({ limit: 3, windowMs: 1000, now: () => clock.now });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(limit.waitMs('alice')).toBe(0);
      limit.recordFailure('alice');
    }
    expect(limit.waitMs('alice')).toBe(1000);
    expect(limit.waitMs('bob')).toBe(0);
    clock.now = 600;
    expect(limit.waitMs('alice')).toBe(400);
    clock.now = 1000;
    expect(limit.waitMs('alice')).toBe(0);
  });

  it('forgets keys whose window ended, and never holds more than maxKeys', () => {
    const clock = { now: 0 };
    const limit = new KeyedAttemptLimit({ limit: 3, windowMs: 1000, now: () => clock.now, maxKeys: 100 });
    for (let key = 0; key < 1000; key++) limit.recordFailure(`made-up-${key}`);
    expect(limit.size).toBeLessThanOrEqual(100);
    clock.now = 5000;
    limit.recordFailure('fresh');
    expect(limit.size).toBe(1);
  });
});
