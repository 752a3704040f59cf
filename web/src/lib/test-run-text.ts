/** How a test run reads in a badge or a title (issue 8 item 5). */
import type { TestRun } from '../api/workspace-api.ts';

/**
 * The counts the runner's summary gave, else the status alone (a summary we do not recognise).
 * @example
 * testRunText({ status: 'failed', passed: 3, failed: 1, skipped: 0, … }) // → 'tests: 3 passed, 1 failed'
 */
export function testRunText(run: Pick<TestRun, 'status' | 'passed' | 'failed' | 'skipped'>): string {
  const counts: string[] = [];
  if (run.passed !== null) counts.push(`${run.passed} passed`);
  if (run.failed !== null && (run.failed > 0 || run.passed === null)) counts.push(`${run.failed} failed`);
  if (run.skipped !== null && run.skipped > 0) counts.push(`${run.skipped} skipped`);
  return counts.length === 0 ? `tests: ${run.status}` : `tests: ${counts.join(', ')}`;
}
