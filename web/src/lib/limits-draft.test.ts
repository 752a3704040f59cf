import { describe, expect, it } from 'vitest';
import {
  limitErrorFromServer,
  limitPlaceholder,
  limitsDraft,
  parseLimitsDraft,
  sameLimits,
} from './limits-draft.ts';

const empty = limitsDraft(undefined);

describe('limits in the settings form', () => {
  it('shows a saved setting as texts, an unset limit as an empty field', () => {
    expect(limitsDraft({ memoryMiB: 4096, cpus: 0.5, cpuTimeSeconds: null })).toEqual({
      ...empty,
      memoryMiB: '4096',
      cpus: '0.5',
    });
    expect(Object.values(empty).every((text) => text === '')).toBe(true);
  });

  it('says the default in the placeholder', () => {
    expect(limitPlaceholder('memoryMiB')).toBe('default: 2048');
    expect(limitPlaceholder('cpuTimeSeconds')).toBe('default: none');
  });

  it('sends only what was filled in, in the units the setting uses', () => {
    expect(parseLimitsDraft({ ...empty, memoryMiB: ' 512 ', cpus: '1.5', cpuTimeSeconds: '30' })).toEqual({
      ok: true,
      limits: { memoryMiB: 512, cpus: 1.5, cpuTimeSeconds: 30 },
    });
    expect(parseLimitsDraft(empty)).toEqual({ ok: true, limits: {} });
  });

  it('refuses what the server schema refuses, naming the field and the bound with its unit', () => {
    expect(
      parseLimitsDraft({ ...empty, memoryMiB: '10', processes: '2.5', cpus: 'lots', tmpfsMiB: '1e12' }),
    ).toEqual({
      ok: false,
      errors: {
        memoryMiB: 'at least 32 MiB',
        processes: 'a whole number',
        cpus: 'a number, or empty for the default',
        tmpfsMiB: 'at most 16,777,216 MiB',
      },
    });
  });

  it('takes an unset limit and a null CPU time for the same', () => {
    expect(sameLimits(undefined, {})).toBe(true);
    expect(sameLimits({ cpuTimeSeconds: null }, {})).toBe(true);
    expect(sameLimits({ memoryMiB: 64 }, {})).toBe(false);
    expect(sameLimits({ memoryMiB: 64 }, { memoryMiB: 64 })).toBe(true);
  });

  it('places a refused save beside the limit it names', () => {
    expect(
      limitErrorFromServer('limits.memoryMiB', 'limits.memoryMiB: Too small: expected number to be >=32'),
    ).toEqual({ key: 'memoryMiB', message: 'Too small: expected number to be >=32' });
    expect(limitErrorFromServer('workspace', 'workspace: refused')).toBeNull();
    expect(limitErrorFromServer(undefined, 'nothing to change')).toBeNull();
  });
});
