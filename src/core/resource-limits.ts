/**
 * What one conversation's sandbox may take of the machine (issue 7, item 6): processes, memory, CPU,
 * the size of a file written, and the size of its private tmpfs folders (/tmp, /var/tmp, the sandbox's
 * home). The kernel enforces them (src/sandbox/resource-limits.ts says how); this module holds the
 * defaults, the schema a conversation's settings are checked with, and the words a result uses to name
 * the limit a command ran into. The defaults and their reasons are in docs/decisions.md.
 */
import { z } from 'zod';

/** Bytes in one MiB, the unit the sizes below are given in. */
export const MIB = 1024 * 1024;

export interface ResourceLimits {
  /** Processes and threads alive at once in the whole sandbox. */
  processes: number;
  /** Memory of the whole sandbox (its tmpfs files included), no swap beyond it. */
  memoryMiB: number;
  /** Cores' worth of CPU time per second of wall time, for the whole sandbox; fractions allowed. */
  cpus: number;
  /** CPU seconds any one process may use; null for none (the command's timeout bounds wall time). */
  cpuTimeSeconds: number | null;
  /** The largest file any process may write. */
  fileSizeMiB: number;
  /** Size of each private tmpfs: /tmp, /var/tmp and the sandbox's home. */
  tmpfsMiB: number;
  /** How much one command may grow the used space of the disk holding the workspace (disk-limit.ts). */
  diskMiB: number;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = {
  processes: 512,
  memoryMiB: 2048,
  cpus: 2,
  cpuTimeSeconds: null,
  fileSizeMiB: 1024,
  tmpfsMiB: 512,
  diskMiB: 10_240,
};

/**
 * A conversation's `limits` setting: any subset; what is left out takes the default. The floors keep a
 * sandbox able to start at all (bwrap, its init and bash are three processes and a few MiB).
 */
export const ResourceLimitsSchema = z.strictObject({
  processes: z.number().int().min(8).max(1_000_000).optional(),
  memoryMiB: z.number().int().min(32).max(16_777_216).optional(),
  cpus: z.number().min(0.01).max(1024).optional(),
  cpuTimeSeconds: z.number().int().min(1).max(31_536_000).nullable().optional(),
  fileSizeMiB: z.number().int().min(1).max(16_777_216).optional(),
  tmpfsMiB: z.number().int().min(1).max(16_777_216).optional(),
  diskMiB: z.number().int().min(1).max(1_073_741_824).optional(),
});
export type ResourceLimitsSetting = z.infer<typeof ResourceLimitsSchema>;

/** The limits in force for a setting: the setting's values over the defaults. */
export function resolveResourceLimits(setting: ResourceLimitsSetting | undefined): ResourceLimits {
  const chosen = Object.fromEntries(Object.entries(setting ?? {}).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_RESOURCE_LIMITS, ...chosen };
}

export const LIMIT_NAMES = ['processes', 'memory', 'cpu-time', 'file-size', 'disk', 'disk-free'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** A limit a command ran into: which, its value as a person reads it, and the sentence the result shows. */
export interface LimitHit {
  limit: LimitName;
  value: string;
  message: string;
}

/**
 * Each limit in words, and the key under `limits` that raises it (null: no setting does, the free space
 * kept on the disk is the machine's): for the result's sentence and the UI's notice.
 */
export const LIMIT_DESCRIPTIONS: Record<LimitName, { words: string; setting: keyof ResourceLimits | null }> =
  {
    processes: { words: 'process limit', setting: 'processes' },
    memory: { words: 'memory limit', setting: 'memoryMiB' },
    'cpu-time': { words: 'CPU time limit', setting: 'cpuTimeSeconds' },
    'file-size': { words: 'file size limit', setting: 'fileSizeMiB' },
    disk: { words: 'disk limit', setting: 'diskMiB' },
    'disk-free': { words: 'free-space reserve', setting: null },
  };

function mebibytes(value: number): string {
  return value >= 1024 && value % 1024 === 0 ? `${value / 1024} GiB` : `${value} MiB`;
}

/**
 * The hit as the result names it.
 *
 * @example
 * limitHit('memory', DEFAULT_RESOURCE_LIMITS).message
 * // "stopped: the sandbox's memory limit (2 GiB) was reached — raise limits.memoryMiB in the conversation's settings"
 */
export function limitHit(limit: Exclude<LimitName, 'disk-free'>, limits: ResourceLimits): LimitHit {
  const value =
    limit === 'processes'
      ? `${limits.processes} processes`
      : limit === 'memory'
        ? mebibytes(limits.memoryMiB)
        : limit === 'cpu-time'
          ? `${limits.cpuTimeSeconds} CPU second${limits.cpuTimeSeconds === 1 ? '' : 's'} per process`
          : limit === 'disk'
            ? `${mebibytes(limits.diskMiB)} per command`
            : mebibytes(limits.fileSizeMiB);
  const { words, setting } = LIMIT_DESCRIPTIONS[limit];
  return {
    limit,
    value,
    message: `stopped: the sandbox's ${words} (${value}) was reached — raise limits.${setting} in the conversation's settings`,
  };
}

/** Exit statuses bash gives a command killed by SIGXCPU (24) and SIGXFSZ (25): 128 + the signal. */
const EXIT_BY_SIGNAL: Record<number, 'cpu-time' | 'file-size'> = { 152: 'cpu-time', 153: 'file-size' };
/**
 * bash's report of a job killed by those signals (`bash: line 5:    6 File size limit exceeded head …`),
 * for when a later command of the list sets the exit status.
 */
const BASH_REPORTS: [RegExp, 'cpu-time' | 'file-size'][] = [
  [/^bash: line \d+: +\d+ File size limit exceeded/m, 'file-size'],
  [/^bash: line \d+: +\d+ CPU time limit exceeded/m, 'cpu-time'],
];

/**
 * A per-process limit (rlimit) a command ran into, read from how it ended; counters the kernel keeps
 * (OOM kills, refused forks) are read by the sandbox instead.
 */
export function limitHitFromEnding(
  ending: { exitCode: number | null; output: string },
  limits: ResourceLimits,
): LimitHit | null {
  const byExit = ending.exitCode === null ? undefined : EXIT_BY_SIGNAL[ending.exitCode];
  const limit = byExit ?? BASH_REPORTS.find(([pattern]) => pattern.test(ending.output))?.[1];
  if (limit === undefined) return null;
  if (limit === 'cpu-time' && limits.cpuTimeSeconds === null) return null;
  return limitHit(limit, limits);
}
