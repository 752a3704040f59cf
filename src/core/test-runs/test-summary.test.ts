import { describe, expect, it } from 'vitest';
import { parseTestSummary, plainOutput } from './test-summary.ts';

// Small outputs in the shape of the real ones (test/test-runs/test-summary-real-outputs.test.ts runs the
// runners themselves); these pin the rules at their edges.

describe('parseTestSummary: nothing to read', () => {
  it.each([
    '',
    'hello\nworld\n',
    'npm error Missing script: "test"',
    'Tests are fun (3)',
    '3 apples in 0.5s',
  ])('%j has no summary', (output) => {
    expect(parseTestSummary(output)).toBeNull();
  });
});

describe('vitest', () => {
  it('reads the Tests line, todo counted as skipped', () => {
    const output = [
      ' Test Files  1 failed | 1 passed (2)',
      '      Tests  1 failed | 3 passed | 1 skipped | 1 todo (6)',
      '   Start at  04:55:30',
      '   Duration  465ms',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'vitest', passed: 3, failed: 1, skipped: 2 });
  });

  it('reads it with ANSI colours and pty line ends', () => {
    const output =
      '\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[32m1 passed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m\r\n' +
      '\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m4 passed\x1b[39m\x1b[22m\x1b[90m (4)\x1b[39m\r\n';
    expect(parseTestSummary(output)).toEqual({ runner: 'vitest', passed: 4, failed: 0, skipped: 0 });
  });
});

describe('jest', () => {
  it('reads the Tests: line, skipped, todo and pending as skipped', () => {
    const output = [
      'Test Suites: 1 failed, 1 passed, 2 total',
      'Tests:       1 failed, 1 skipped, 1 todo, 2 pending, 3 passed, 8 total',
      'Snapshots:   0 total',
      'Time:        0.458 s',
      'Ran all test suites.',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'jest', passed: 3, failed: 1, skipped: 4 });
  });

  it('reads a run with no tests', () => {
    expect(parseTestSummary('Tests:       0 total\n')).toEqual({
      runner: 'jest',
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it('reads the last state of a line redrawn with carriage returns', () => {
    const output = 'Tests:       1 passed, 1 total\rTests:       2 failed, 5 passed, 7 total\n';
    expect(parseTestSummary(output)).toEqual({ runner: 'jest', passed: 5, failed: 2, skipped: 0 });
  });
});

describe('node:test', () => {
  const block = (prefix: string) =>
    ['tests 7', 'suites 1', 'pass 3', 'fail 1', 'cancelled 1', 'skipped 1', 'todo 1', 'duration_ms 214.65']
      .map((line) => `${prefix} ${line}`)
      .join('\n');

  it('reads the spec block though the failing tests follow it; cancelled counts as failed', () => {
    const output = `✖ sample (7.6ms)\n${block('ℹ')}\n\n✖ failing tests:\n\ntest at a.test.mjs:6:3\n✖ fails (3.1ms)\n`;
    expect(parseTestSummary(output)).toEqual({ runner: 'node:test', passed: 3, failed: 2, skipped: 2 });
  });

  it('reads the tap block', () => {
    expect(parseTestSummary(`1..1\n${block('#')}\n`)).toEqual({
      runner: 'node:test',
      passed: 3,
      failed: 2,
      skipped: 2,
    });
  });

  it('does not read a block without its pass and fail lines (a cut in the middle of it)', () => {
    expect(parseTestSummary('ℹ tests 7\nℹ suites 1\n[… 3 lines cut …]\nℹ todo 1\n')).toBeNull();
  });
});

describe('pytest', () => {
  it.each([
    ['==== 1 failed, 2 passed, 1 skipped, 1 xfailed, 1 xpassed, 1 error in 0.02s =====', [3, 2, 2]],
    ['1 failed, 2 passed, 1 skipped, 1 xfailed, 1 xpassed, 1 error in 0.02s', [3, 2, 2]],
    ['======= 12 passed, 3 deselected, 2 warnings in 65.43s (0:01:05) =======', [12, 0, 0]],
    ['================ 2 errors in 0.10s ================', [0, 2, 0]],
    ['============================ no tests ran in 0.01s =============================', [0, 0, 0]],
    ['1 passed, 1 rerun in 0.30s', [1, 0, 0]],
  ] as const)('%s', (line, [passed, failed, skipped]) => {
    expect(parseTestSummary(`collected 6 items\n\n${line}\n`)).toEqual({
      runner: 'pytest',
      passed,
      failed,
      skipped,
    });
  });
});

describe('go test', () => {
  it('without -v counts the failures only: passes and skips are not printed', () => {
    const output = [
      '--- FAIL: TestFails (0.00s)',
      '    alpha_test.go:7: 1 != 2',
      '--- FAIL: TestTable (0.00s)',
      '    --- FAIL: TestTable/b (0.00s)',
      'FAIL',
      'FAIL\texample.com/sample/alpha\t0.009s',
      'ok  \texample.com/sample/beta\t(cached)',
      '?   \texample.com/sample/gamma\t[no test files]',
      'FAIL',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: null, failed: 2, skipped: null });
  });

  it('with -v counts subtests instead of their parent, unless the parent failed on its own', () => {
    const output = [
      '=== RUN   TestTree',
      '--- FAIL: TestTree (0.00s)',
      '    --- PASS: TestTree/a (0.00s)',
      '        --- PASS: TestTree/a/x (0.00s)',
      '        --- SKIP: TestTree/a/y (0.00s)',
      '    --- PASS: TestTree/b (0.00s)',
      '=== RUN   TestSelf',
      '--- FAIL: TestSelf (0.00s)',
      '    --- PASS: TestSelf/only (0.00s)',
      'FAIL',
      'FAIL\texample.com/tree\t0.01s',
    ].join('\n');
    // TestTree failed with no failing subtest: it failed itself (one failure); so did TestSelf.
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: 3, failed: 2, skipped: 1 });
  });

  it('counts a package that failed to build as one failure', () => {
    const output = [
      '=== RUN   TestOk',
      '--- PASS: TestOk (0.00s)',
      'PASS',
      'ok  \texample.com/ok\t0.01s',
      '# example.com/broken [example.com/broken.test]',
      'broken/broken_test.go:5:28: undefined: undefined',
      'FAIL\texample.com/broken [build failed]',
      'FAIL',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: 1, failed: 1, skipped: 0 });
  });

  it('is not a summary without a package line', () => {
    expect(parseTestSummary('=== RUN   TestX\n--- PASS: TestX (0.00s)\n')).toBeNull();
  });
});

describe('cargo test', () => {
  const binary = (name: string, result: string) =>
    `     Running ${name}\n\nrunning 3 tests\ntest a ... ok\n\ntest result: ${result}; 0 measured; 0 filtered out; finished in 0.00s\n`;

  it('sums the result lines of every test binary, ignored as skipped', () => {
    const output =
      binary('unittests src/lib.rs (target/debug/deps/x-1)', 'FAILED. 2 passed; 1 failed; 1 ignored') +
      'error: test failed, to rerun pass `--lib`\n' +
      binary('tests/it.rs (target/debug/deps/it-2)', 'ok. 4 passed; 0 failed; 2 ignored') +
      '   Doc-tests x\n\nrunning 1 test\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s\n';
    expect(parseTestSummary(output)).toEqual({ runner: 'cargo', passed: 7, failed: 1, skipped: 3 });
  });

  it('counts a binary that died before its result line as one failure', () => {
    const output =
      binary('unittests src/lib.rs (target/debug/deps/x-1)', 'ok. 2 passed; 0 failed; 0 ignored') +
      '     Running tests/crash.rs (target/debug/deps/crash-3)\n\nrunning 1 test\n' +
      "error: test failed, to rerun pass `--test crash`\n\nCaused by:\n  process didn't exit successfully (signal: 11, SIGSEGV: invalid memory reference)\n";
    expect(parseTestSummary(output)).toEqual({ runner: 'cargo', passed: 2, failed: 1, skipped: 0 });
  });
});

describe('the last summary wins', () => {
  it('a pytest run whose captured output quotes cargo and jest is pytest', () => {
    const output = [
      '----------------------------- Captured stdout call -----------------------------',
      'test result: ok. 9 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s',
      'Tests:       9 passed, 9 total',
      '=========================== short test summary info ============================',
      'FAILED test_sample.py::test_fails - assert 1 == 2',
      '========================= 1 failed, 2 passed in 0.02s =========================',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'pytest', passed: 2, failed: 1, skipped: 0 });
  });

  it('a go -v run whose test printed a vitest summary is go', () => {
    const output = [
      '=== RUN   TestPrints',
      '      Tests  9 passed (9)',
      '--- PASS: TestPrints (0.00s)',
      'PASS',
      'ok  \texample.com/p\t0.01s',
    ].join('\n');
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: 1, failed: 0, skipped: 0 });
  });

  it('of two runs in one output, the later one counts', () => {
    const output = '      Tests  5 passed (5)\n   Duration  1s\n==== 1 failed, 1 passed in 0.1s ====\n';
    expect(parseTestSummary(output)).toEqual({ runner: 'pytest', passed: 1, failed: 1, skipped: 0 });
  });
});

describe('cut outputs', () => {
  it.each(['[… 120 lines cut …]', '[… 4096 bytes cut …]', '[... 1 line cut ...]', '[output cut]'])(
    'recognises the marker %s',
    (marker) => {
      expect(plainOutput(`head\n${marker}\ntail`).cutLines).toEqual([1]);
    },
  );

  it('reads a one-line summary kept in the tail', () => {
    const output = 'RUN v5\n[… 4096 bytes cut …]\n      Tests  1 failed | 9 passed (10)\n';
    expect(parseTestSummary(output)).toEqual({ runner: 'vitest', passed: 9, failed: 1, skipped: 0 });
  });

  it('gives up the counts of a runner summed over the output (go, cargo): the cut lines are unknown', () => {
    const go = '=== RUN   TestA\n--- PASS: TestA (0.00s)\n[… 800 lines cut …]\nFAIL\texample.com/a\t1.2s\n';
    expect(parseTestSummary(go)).toEqual({ runner: 'go', passed: null, failed: null, skipped: null });
    const cargo =
      'running 900 tests\n[output cut]\ntest result: FAILED. 898 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3s\n';
    expect(parseTestSummary(cargo)).toEqual({ runner: 'cargo', passed: null, failed: null, skipped: null });
  });
});
