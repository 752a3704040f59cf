/**
 * Summaries of the JavaScript runners: vitest and jest print one totals line near the end, node:test a
 * block of `key value` lines (`ℹ pass 3` with the spec reporter, `# pass 3` with tap). Todo tests count
 * as skipped everywhere: they are reported, and their result does not count.
 */
import { type FoundSummary, lastLineMatching, type PlainOutput } from './summary-reader.ts';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Reads `3 passed`-style items; null when an item is not a count and word (then it is not a summary). */
function readItems(items: readonly string[], words: Record<string, keyof Counts | null>): Counts | null {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const item of items) {
    const match = /^(\d+) ([a-z]+(?: [a-z]+)?)$/.exec(item.trim());
    if (match === null) return null;
    const word = match[2]!;
    if (!(word in words)) continue;
    const key = words[word];
    if (key !== null && key !== undefined) counts[key] += Number(match[1]);
  }
  return counts;
}

// Vitest: ` Test Files  1 failed | 1 passed (2)` then `      Tests  1 failed | 3 passed | 1 skipped | 1 todo (6)`.
// The `Test Files` line is not required: a cut may leave the tail starting at `Tests`.
const VITEST_TESTS = /^\s*Tests {2}(\d+ [a-z]+(?: \| \d+ [a-z]+)*) \((\d+)\)\s*$/;
const VITEST_WORDS: Record<string, keyof Counts | null> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  todo: 'skipped',
};

export function readVitestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const match = VITEST_TESTS.exec(lines[index]!);
    if (match === null) continue;
    const counts = readItems(match[1]!.split('|'), VITEST_WORDS);
    if (counts !== null) return { summary: { runner: 'vitest', ...counts }, endLine: index };
  }
  return null;
}

// Jest: `Test Suites: 1 failed, 1 passed, 2 total` then `Tests:       1 failed, 1 skipped, 1 todo, 3 passed, 6 total`.
const JEST_TESTS = /^Tests:\s+((?:\d+ [a-z]+, )*)(\d+) total\s*$/;
const JEST_WORDS: Record<string, keyof Counts | null> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  todo: 'skipped',
  pending: 'skipped',
};

export function readJestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const match = JEST_TESTS.exec(lines[index]!);
    if (match === null) continue;
    const items = match[1]!.split(', ').filter((item) => item !== '');
    const counts = readItems(items, JEST_WORDS);
    if (counts !== null) return { summary: { runner: 'jest', ...counts }, endLine: index };
  }
  return null;
}

// node:test, spec reporter `ℹ tests 5` … `ℹ duration_ms 214.6`, tap reporter `# tests 5` … `# duration_ms 269.3`.
const NODE_LINE = /^(ℹ|#) (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d+(?:\.\d+)?)\s*$/;

export function readNodeTestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  let index = lastLineMatching(lines, /^(ℹ|#) tests \d+\s*$/);
  while (index !== -1) {
    const prefix = lines[index]!.charAt(0);
    const values = new Map<string, number>();
    let end = index;
    for (let next = index; next < lines.length; next += 1) {
      const match = NODE_LINE.exec(lines[next]!);
      if (match === null || match[1] !== prefix) break;
      values.set(match[2]!, Number(match[3]));
      end = next;
    }
    if (values.has('pass') && values.has('fail')) {
      const value = (key: string): number => values.get(key) ?? 0;
      return {
        summary: {
          runner: 'node:test',
          passed: value('pass'),
          // A cancelled test did not finish (a timeout, its parent failed): not a pass.
          failed: value('fail') + value('cancelled'),
          skipped: value('skipped') + value('todo'),
        },
        endLine: end,
      };
    }
    index = lastLineMatching(lines.slice(0, index), /^(ℹ|#) tests \d+\s*$/);
  }
  return null;
}
