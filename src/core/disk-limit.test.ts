import { describe, expect, it } from 'vitest';
import { type DiskUsage, diskLimitHit, diskReserveBytes } from './disk-limit.ts';
import { DEFAULT_RESOURCE_LIMITS, MIB } from './resource-limits.ts';

const GIB = 1024 * MIB;
const start: DiskUsage = { usedBytes: 40 * GIB, availableBytes: 60 * GIB, sizeBytes: 100 * GIB };
const grownBy = (bytes: number): DiskUsage => ({
  ...start,
  usedBytes: start.usedBytes + bytes,
  availableBytes: start.availableBytes - bytes,
});
const limits = { ...DEFAULT_RESOURCE_LIMITS, diskMiB: 1024 };

describe('diskLimitHit', () => {
  it('lets a command fill up to its limit, and names the limit past it', () => {
    expect(diskLimitHit(start, grownBy(GIB), limits)).toBeNull();
    expect(diskLimitHit(start, grownBy(GIB + MIB), limits)).toEqual({
      limit: 'disk',
      value: '1 GiB per command',
      message:
        "stopped: the sandbox's disk limit (1 GiB per command) was reached — raise limits.diskMiB in the conversation's settings",
    });
  });

  it('keeps 512 MiB free on a large disk and a tenth of a small one', () => {
    expect(diskReserveBytes(100 * GIB)).toBe(512 * MIB);
    expect(diskReserveBytes(64 * MIB)).toBe(Math.floor(6.4 * MIB));
    const nearlyFull = { ...start, availableBytes: 600 * MIB };
    const after = { ...nearlyFull, usedBytes: start.usedBytes + 100 * MIB, availableBytes: 500 * MIB };
    expect(diskLimitHit(nearlyFull, after, { ...limits, diskMiB: 10_240 })).toMatchObject({
      limit: 'disk-free',
      value: '512 MiB kept free',
    });
  });

  it('does not blame a command for growth it cannot have made, or for space freed', () => {
    const alreadyFull = { ...start, availableBytes: 100 * MIB };
    expect(
      diskLimitHit(alreadyFull, { ...alreadyFull, usedBytes: alreadyFull.usedBytes + 1000 }, limits),
    ).toBeNull();
    expect(diskLimitHit(start, grownBy(-5 * GIB), limits)).toBeNull();
  });
});
