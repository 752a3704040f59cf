import { describe, expect, it } from 'vitest';
import { testRunText } from './test-run-text.ts';

describe('testRunText', () => {
  it('names the counts the summary gave', () => {
    expect(testRunText({ status: 'failed', passed: 3, failed: 1, skipped: 0 })).toBe(
      'tests: 3 passed, 1 failed',
    );
    expect(testRunText({ status: 'passed', passed: 12, failed: 0, skipped: 2 })).toBe(
      'tests: 12 passed, 2 skipped',
    );
  });

  it('says only passed or failed when the output had no summary it knows', () => {
    expect(testRunText({ status: 'failed', passed: null, failed: null, skipped: null })).toBe(
      'tests: failed',
    );
  });
});
