export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Median and 99th percentile of a sample, in its own unit. */
export function percentiles(samples: readonly number[]): { median: number; p99: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p99: at(0.99), min: sorted[0] ?? Number.NaN };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
