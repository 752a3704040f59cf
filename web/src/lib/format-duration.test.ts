import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.ts';

describe('formatDuration', () => {
  it('says milliseconds, seconds or minutes as the size calls for', () => {
    expect(formatDuration(2.4)).toBe('2 ms');
    expect(formatDuration(3140)).toBe('3.1 s');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});
