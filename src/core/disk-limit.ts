/**
 * The disk a command may fill (issue 7 item 6): the kernel bounds each file (RLIMIT_FSIZE) and each tmpfs,
 * but nothing in it bounds the sum of the files a command writes into the workspace, a folder of an ordinary
 * file system (that takes project quotas, which a data dir on any disk cannot count on). So the sandbox
 * watches the file system that holds the workspace, by its own counters (statfs), while a command runs, and
 * stops the command when it has grown the used space by more than `diskMiB`, or brought the free space
 * under a reserve that the server and the rest of the machine keep.
 */
import { type LimitHit, limitHit, MIB, type ResourceLimits } from './resource-limits.ts';

/** A file system's counters, from statfs. */
export interface DiskUsage {
  usedBytes: number;
  /** Free to an unprivileged writer (root may write into a few percent more). */
  availableBytes: number;
  sizeBytes: number;
}

/** Free space the sandbox never takes: this much, or a tenth of a small disk. */
export const DISK_RESERVE_MIB = 512;
/**
 * Growth below this is not the command's to answer for: the server writes the command's output to its
 * database meanwhile, and other programs write to the same disk.
 */
const UNNOTICED_BYTES = MIB;

/** The free space kept on a disk of `sizeBytes`. */
export function diskReserveBytes(sizeBytes: number): number {
  return Math.min(DISK_RESERVE_MIB * MIB, Math.floor(sizeBytes / 10));
}

/**
 * The disk limit a command ran into, judged from the counters when it started and now; null if none.
 *
 * @example
 * diskLimitHit(start, { ...start, usedBytes: start.usedBytes + 3 * GiB }, { ...limits, diskMiB: 1024 })?.limit // 'disk'
 */
export function diskLimitHit(start: DiskUsage, now: DiskUsage, limits: ResourceLimits): LimitHit | null {
  const grown = now.usedBytes - start.usedBytes;
  if (grown <= UNNOTICED_BYTES) return null;
  if (grown > limits.diskMiB * MIB) return limitHit('disk', limits);
  const reserve = diskReserveBytes(now.sizeBytes);
  if (now.availableBytes < reserve) {
    const value = `${mebibytes(reserve)} kept free`;
    return {
      limit: 'disk-free',
      value,
      message: `stopped: the disk holding the workspace is down to its last ${mebibytes(reserve)} free, which the sandbox may not take — make room on that disk`,
    };
  }
  return null;
}

function mebibytes(bytes: number): string {
  const mib = bytes / MIB;
  return mib >= 1024 ? `${Math.round((mib / 1024) * 10) / 10} GiB` : `${Math.round(mib * 10) / 10} MiB`;
}
