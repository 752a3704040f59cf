/**
 * What each runner's summary reader sees and returns. The output is made plain once (no ANSI, redrawn
 * lines resolved, split into lines) and every reader looks at the same lines, so the caller can keep the
 * summary that ends last.
 */

export const TEST_RUNNERS = ['vitest', 'jest', 'node:test', 'pytest', 'go', 'cargo'] as const;
export type TestRunner = (typeof TEST_RUNNERS)[number];

/**
 * Counts as the runner's own summary states them. A count is null when the output does not say it: go test
 * without `-v` names only failures, and a runner whose totals are summed over many lines (go, cargo) cannot
 * be summed once the output was cut in the middle.
 */
export interface TestSummary {
  runner: TestRunner;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
}

export interface PlainOutput {
  lines: readonly string[];
  /** Indexes of lines that are cut markers (`[… 12 lines cut …]`, `[… 4096 bytes cut …]`, `[output cut]`). */
  cutLines: readonly number[];
}

export interface FoundSummary {
  summary: TestSummary;
  /** Index of the summary's last line: the summary that ends last wins. */
  endLine: number;
}

export type SummaryReader = (output: PlainOutput) => FoundSummary | null;

/** Index of the last line matching `pattern`, searching backwards from the end. */
export function lastLineMatching(lines: readonly string[], pattern: RegExp): number {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    if (pattern.test(lines[index]!)) return index;
  }
  return -1;
}
