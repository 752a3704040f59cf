import { describe, expect, it } from 'vitest';
import { commandResultText } from './command-result-text.ts';
import {
  DEFAULT_RESOURCE_LIMITS,
  limitHit,
  limitHitFromEnding,
  ResourceLimitsSchema,
  resolveResourceLimits,
} from './resource-limits.ts';

describe('resource limits', () => {
  it('fill what a setting leaves out with the defaults', () => {
    expect(resolveResourceLimits(undefined)).toEqual(DEFAULT_RESOURCE_LIMITS);
    expect(resolveResourceLimits({ memoryMiB: 64, cpuTimeSeconds: 5 })).toEqual({
      ...DEFAULT_RESOURCE_LIMITS,
      memoryMiB: 64,
      cpuTimeSeconds: 5,
    });
  });

  it('refuse values a sandbox cannot start with and unknown names', () => {
    expect(ResourceLimitsSchema.safeParse({ processes: 2 }).success).toBe(false);
    expect(ResourceLimitsSchema.safeParse({ memoryMiB: 1.5 }).success).toBe(false);
    expect(ResourceLimitsSchema.safeParse({ disk: 1 }).success).toBe(false);
    expect(ResourceLimitsSchema.safeParse({ cpus: 0.5, cpuTimeSeconds: null }).success).toBe(true);
  });

  it('name the limit, its value and the setting to raise', () => {
    expect(limitHit('memory', DEFAULT_RESOURCE_LIMITS)).toEqual({
      limit: 'memory',
      value: '2 GiB',
      message:
        "stopped: the sandbox's memory limit (2 GiB) was reached — raise limits.memoryMiB in the conversation's settings",
    });
    expect(limitHit('processes', resolveResourceLimits({ processes: 64 })).value).toBe('64 processes');
    expect(limitHit('file-size', resolveResourceLimits({ fileSizeMiB: 1 })).value).toBe('1 MiB');
  });

  it('read SIGXFSZ and SIGXCPU from the exit status or from bash’s report of the job', () => {
    const limits = resolveResourceLimits({ cpuTimeSeconds: 10 });
    expect(limitHitFromEnding({ exitCode: 153, output: '' }, limits)?.limit).toBe('file-size');
    expect(limitHitFromEnding({ exitCode: 152, output: '' }, limits)?.limit).toBe('cpu-time');
    const report =
      'bash: line 5:     6 File size limit exceeded(core dumped) head -c 20M /dev/zero > f\nnext\n';
    expect(limitHitFromEnding({ exitCode: 0, output: report }, limits)?.limit).toBe('file-size');
    // The words alone (a grep through logs) are not a hit.
    expect(limitHitFromEnding({ exitCode: 0, output: 'File size limit exceeded\n' }, limits)).toBeNull();
    expect(limitHitFromEnding({ exitCode: 1, output: '' }, limits)).toBeNull();
    // Without a CPU time limit, 152 is the command's own exit status.
    expect(limitHitFromEnding({ exitCode: 152, output: '' }, DEFAULT_RESOURCE_LIMITS)).toBeNull();
  });

  it('appear in the conversation text of the result', () => {
    const hit = limitHit('processes', resolveResourceLimits({ processes: 64 }));
    const text = commandResultText({
      command: 'make -j',
      result: {
        output: 'bash: fork: retry\n',
        status: 'failed',
        exitCode: null,
        durationMs: 300,
        shellRestarted: false,
        limitHit: hit,
      },
      asToolResult: true,
      maxChars: 1000,
    });
    expect(text).toBe(`bash: fork: retry\n[exit code unknown]\n[${hit.message}]`);
  });
});
