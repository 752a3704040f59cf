/**
 * cargo test runs one libtest binary per target (unit tests, each file in `tests/`, doc-tests), and each
 * prints `test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; …`. The run's
 * totals are their sum; ignored tests count as skipped. Without `--no-fail-fast` cargo stops after the
 * first failing binary, so the sum covers the binaries that ran. A binary that died before its result line
 * (a crash, an abort) counts as one failure, so that a failed run never reads as "0 failed".
 */
import type { FoundSummary, PlainOutput } from './summary-reader.ts';

const RESULT =
  /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out/;
const BINARY_START = /^\s+(?:Running|Doc-tests) \S/;
const BINARY_FAILED = /^error: (?:test|doctest) failed, to rerun pass /;

export function readCargoTestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let endLine = -1;
  let resultInBinary = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (BINARY_START.test(line)) {
      resultInBinary = false;
      continue;
    }
    const result = RESULT.exec(line);
    if (result !== null) {
      passed += Number(result[1]);
      failed += Number(result[2]);
      skipped += Number(result[3]);
      endLine = index;
      resultInBinary = true;
      continue;
    }
    if (BINARY_FAILED.test(line) && !resultInBinary) {
      failed += 1;
      endLine = index;
    }
  }
  if (endLine === -1) return null;
  // A sum over lines the cut may have dropped would be a guess.
  if (output.cutLines.length > 0) {
    return { summary: { runner: 'cargo', passed: null, failed: null, skipped: null }, endLine };
  }
  return { summary: { runner: 'cargo', passed, failed, skipped }, endLine };
}
