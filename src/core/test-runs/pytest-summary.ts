/**
 * pytest's summary is its last line: `==== 1 failed, 2 passed, 1 skipped, 1 xfailed in 0.02s ====`, or the
 * same without the rules under `-q`. Outcomes map as pytest's own JUnit XML maps them: an error (in a
 * fixture, at collection) is a failure, an xfail is skipped, an xpass (non-strict) passed.
 */
import type { FoundSummary, PlainOutput } from './summary-reader.ts';

const SUMMARY = /^(?:=+ )?(.+?) in \d+(?:\.\d+)?s(?: \([\d:]+\))?(?: =+)?\s*$/;
const ITEM = /^(\d+) (failed|passed|skipped|deselected|xfailed|xpassed|warnings?|errors?|rerun)$/;

type Outcome = 'passed' | 'failed' | 'skipped' | null;
const OUTCOMES: Record<string, Outcome> = {
  passed: 'passed',
  xpassed: 'passed',
  failed: 'failed',
  error: 'failed',
  errors: 'failed',
  skipped: 'skipped',
  xfailed: 'skipped',
  deselected: null,
  warning: null,
  warnings: null,
  rerun: null,
};

export function readPytestSummary(output: PlainOutput): FoundSummary | null {
  const { lines } = output;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const match = SUMMARY.exec(lines[index]!);
    if (match === null) continue;
    const body = match[1]!;
    if (body === 'no tests ran') {
      return { summary: { runner: 'pytest', passed: 0, failed: 0, skipped: 0 }, endLine: index };
    }
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let understood = true;
    for (const item of body.split(', ')) {
      const itemMatch = ITEM.exec(item);
      if (itemMatch === null) {
        understood = false;
        break;
      }
      const outcome = OUTCOMES[itemMatch[2]!];
      if (outcome !== null && outcome !== undefined) counts[outcome] += Number(itemMatch[1]);
    }
    if (understood) return { summary: { runner: 'pytest', ...counts }, endLine: index };
  }
  return null;
}
