/**
 * go test prints no totals: with `-v` one `--- PASS|FAIL|SKIP: Name (0.00s)` line per test and subtest,
 * without it only the failures, and after each package a line `ok  \tpkg\t0.01s`, `FAIL\tpkg\t…` or
 * `?   \tpkg\t[no test files]`. Totals are counted per package:
 * - a test with subtests is counted through its subtests (else one failing subtest would count twice),
 *   except a parent that failed while none of its subtests did (it failed itself);
 * - a package that failed with no failing test line (build failed, a panic outside a test, `os.Exit` in
 *   `TestMain`) counts as one failure, so that a failed run never reads as "0 failed";
 * - without `-v` (no `=== RUN` line anywhere) passes and skips are not printed: they are null.
 */
import type { FoundSummary, PlainOutput } from './summary-reader.ts';

const RESULT = /^\s*--- (PASS|FAIL|SKIP): (\S+) \(/;
const PACKAGE = /^(ok {2}|FAIL|\? {3})\t\S/;
const VERBOSE = /^=== RUN\s/;

type Status = 'PASS' | 'FAIL' | 'SKIP';

interface Result {
  name: string;
  status: Status;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function countPackage(results: readonly Result[], packageFailed: boolean): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    const prefix = `${result.name}/`;
    const children = results.filter((other) => other.name.startsWith(prefix));
    if (children.length > 0) {
      if (result.status === 'FAIL' && !children.some((child) => child.status === 'FAIL')) counts.failed += 1;
      continue;
    }
    if (result.status === 'PASS') counts.passed += 1;
    else if (result.status === 'FAIL') counts.failed += 1;
    else counts.skipped += 1;
  }
  if (packageFailed && counts.failed === 0) counts.failed = 1;
  return counts;
}

export function readGoTestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  let pending: Result[] = [];
  let endLine = -1;
  let verbose = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (VERBOSE.test(line)) {
      verbose = true;
      continue;
    }
    const result = RESULT.exec(line);
    if (result !== null) {
      pending.push({ status: result[1] as Status, name: result[2]! });
      continue;
    }
    const packageLine = PACKAGE.exec(line);
    if (packageLine !== null) {
      const counts = countPackage(pending, packageLine[1] === 'FAIL');
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      pending = [];
      endLine = index;
    }
  }
  if (endLine === -1) return null;
  // Per-test lines the cut dropped cannot be counted back.
  if (output.cutLines.length > 0) {
    return { summary: { runner: 'go', passed: null, failed: null, skipped: null }, endLine };
  }
  return {
    summary: {
      runner: 'go',
      passed: verbose ? totals.passed : null,
      failed: totals.failed,
      skipped: verbose ? totals.skipped : null,
    },
    endLine,
  };
}
