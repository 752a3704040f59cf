/**
 * Reads the pass/fail/skip counts of a test run from its output (issue 8, tests as data). Whether the run
 * passed comes from its exit code, not from here: this only adds the counts where the output has a summary
 * we recognise, from vitest, jest, node:test (spec and tap reporters), pytest, go test (with and without
 * `-v`) and cargo test. Each reader is tested on real outputs of its runner
 * (test/test-runs/test-summary-real-outputs.test.ts).
 *
 * The output may carry ANSI colours and carriage-return redraws, and may have been cut in the middle (we
 * keep its head and tail). The summary is at the end, and a run's output may quote another runner's words
 * (a test that prints `3 passed in 0.1s`, a go test that logs a vitest line), so every reader looks for its
 * runner's summary and the one that ends last wins.
 */
import stripAnsi from 'strip-ansi';
import { resolveCarriageReturns } from '../terminal-text.ts';
import { readCargoTestSummary } from './cargo-test-summary.ts';
import { readGoTestSummary } from './go-test-summary.ts';
import { readJestSummary, readNodeTestSummary, readVitestSummary } from './javascript-summaries.ts';
import { readPytestSummary } from './pytest-summary.ts';
import type { FoundSummary, PlainOutput, SummaryReader, TestSummary } from './summary-reader.ts';

export type { TestRunner, TestSummary } from './summary-reader.ts';

const READERS: readonly SummaryReader[] = [
  readVitestSummary,
  readJestSummary,
  readNodeTestSummary,
  readPytestSummary,
  readGoTestSummary,
  readCargoTestSummary,
];

/**
 * The markers our outputs carry where their middle was dropped: `[… 12 lines cut …]` (output-cut.ts),
 * `[… 4096 bytes cut …]` (the stored output's buffer) and `[output cut]` (trimmed by hand).
 */
const CUT_MARKER = /^\[(?:(?:…|\.\.\.) ?\d+ (?:lines?|bytes) cut ?(?:…|\.\.\.)|output cut)\]$/i;

export function plainOutput(output: string): PlainOutput {
  const lines = resolveCarriageReturns(stripAnsi(output)).split('\n');
  const cutLines: number[] = [];
  lines.forEach((line, index) => {
    if (CUT_MARKER.test(line.trim())) cutLines.push(index);
  });
  return { lines, cutLines };
}

/**
 * The counts of the last test summary in `output`, or null when no runner's summary is there.
 *
 * @example
 * parseTestSummary(' Test Files  1 failed (1)\n      Tests  1 failed | 3 passed | 1 skipped (5)\n')
 * // { runner: 'vitest', passed: 3, failed: 1, skipped: 1 }
 * parseTestSummary('==== 1 failed, 2 passed, 1 xfailed in 0.02s ====')
 * // { runner: 'pytest', passed: 2, failed: 1, skipped: 1 }
 * parseTestSummary('--- FAIL: TestX (0.00s)\nFAIL\nFAIL\texample.com/x\t0.01s\n')
 * // { runner: 'go', passed: null, failed: 1, skipped: null }: without -v go names only failures
 */
export function parseTestSummary(output: string): TestSummary | null {
  const plain = plainOutput(output);
  let best: FoundSummary | null = null;
  for (const read of READERS) {
    const found = read(plain);
    if (found !== null && (best === null || found.endLine > best.endLine)) best = found;
  }
  return best?.summary ?? null;
}
