/**
 * The original wrote `datetime.now()` as text: the wall clock of the machine it ran on, with no zone. Times are
 * handled here as "wall-clock milliseconds" (the reading taken as if it were UTC) until the zone is known.
 */

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Minutes east of UTC in effect at a wall-clock reading (negative in the Americas). */
export type UtcOffsetAt = (wallClockMs: number) => number;

/** `2023-04-02 16:02:41` or `2023-04-02 16:02:41.123456` → wall-clock ms; undefined when it is not such a time. */
export function parseWallClock(text: string): number | undefined {
  const match = WALL_CLOCK.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(ms);
  // Date.UTC rolls 2023-02-30 over to March; a real timestamp never needs that.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  return ms;
}

/**
 * The zone the original ran in, from its raw API responses: each holds OpenAI's `created` (UTC seconds) and was
 * saved moments later with the local wall clock. The difference, rounded to a quarter hour (zones are whole
 * quarters; the model's latency is seconds), is the offset. The median outvotes a response saved much later.
 */
export function inferUtcOffsetMinutes(
  samples: readonly { wallClockMs: number; utcSeconds: number }[],
): number | undefined {
  const offsets = samples
    .map((sample) => Math.round((sample.wallClockMs - sample.utcSeconds * 1000) / 60_000 / 15) * 15)
    .filter((offset) => Math.abs(offset) <= 14 * 60)
    .sort((a, b) => a - b);
  if (offsets.length === 0) return undefined;
  return offsets[Math.floor((offsets.length - 1) / 2)];
}

export function wallClockToIso(wallClockMs: number, offsetAt: UtcOffsetAt): string {
  return new Date(wallClockMs - offsetAt(wallClockMs) * 60_000).toISOString();
}
