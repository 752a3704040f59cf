import { describe, expect, it } from 'vitest';
import { inferUtcOffsetMinutes, parseWallClock, wallClockToIso } from './legacy-time.ts';

describe('parseWallClock', () => {
  it('reads the original format with and without microseconds', () => {
    expect(parseWallClock('2023-04-02 16:02:41')).toBe(Date.UTC(2023, 3, 2, 16, 2, 41));
    expect(parseWallClock('2023-04-02 16:02:41.123456')).toBe(Date.UTC(2023, 3, 2, 16, 2, 41, 123));
  });

  it('refuses what is not a wall-clock time', () => {
    expect(parseWallClock('yesterday')).toBeUndefined();
    expect(parseWallClock('2023-02-30 10:00:00')).toBeUndefined();
    expect(parseWallClock('2023-04-02 25:00:00')).toBeUndefined();
  });
});

describe('inferUtcOffsetMinutes', () => {
  const at = (wall: string, utc: string) => ({
    wallClockMs: parseWallClock(wall) ?? Number.NaN,
    utcSeconds: Date.parse(utc) / 1000,
  });

  it('finds the zone from responses saved seconds after OpenAI created them', () => {
    // demo.db: created 20:12:19 UTC, saved 16:12:25 local (EDT, UTC-4).
    expect(
      inferUtcOffsetMinutes([
        at('2023-04-02 16:12:25', '2023-04-02T20:12:19Z'),
        at('2023-04-02 16:19:08', '2023-04-02T20:19:02Z'),
      ]),
    ).toBe(-240);
  });

  it('takes the median, so one response saved much later does not move it', () => {
    expect(
      inferUtcOffsetMinutes([
        at('2023-01-10 10:00:05', '2023-01-10T09:00:00Z'),
        at('2023-01-10 11:00:05', '2023-01-10T10:00:00Z'),
        at('2023-01-10 14:00:00', '2023-01-10T11:00:00Z'),
      ]),
    ).toBe(60);
  });

  it('knows nothing without responses, and ignores offsets no zone has', () => {
    expect(inferUtcOffsetMinutes([])).toBeUndefined();
    expect(inferUtcOffsetMinutes([at('2023-01-10 10:00:00', '2023-01-01T10:00:00Z')])).toBeUndefined();
  });
});

describe('wallClockToIso', () => {
  it('moves the wall clock by the offset in effect', () => {
    const wall = parseWallClock('2023-04-02 16:12:25') ?? 0;
    expect(wallClockToIso(wall, () => -240)).toBe('2023-04-02T20:12:25.000Z');
    expect(wallClockToIso(wall, () => 0)).toBe('2023-04-02T16:12:25.000Z');
  });
});
