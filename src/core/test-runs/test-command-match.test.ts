import { describe, expect, it } from 'vitest';
import { testRunMatch, testRunStatus } from './test-command-match.ts';

describe('testRunMatch', () => {
  it.each([
    ['npm test', 'npm test'],
    ['  npm   test  ', 'npm test'],
    ['\'npm\' "test"', 'npm test'],
    ['npm test -- -t parser', 'npm test'],
    ['npm test -- src/a.test.ts src/b.test.ts', 'npm test'],
    ['npm test 2>&1', 'npm test'],
    ['npm test > test.log', 'npm test'],
    ['CI=1 npm test', 'npm test'],
    ['npm test', 'CI=1 npm test'],
    ['cd web && npm test', 'npm test'],
    ['cd /workspace; cd web && npm test', 'npm test'],
    ['npm test # again', 'npm test'],
    ['pytest -x tests/test_app.py', 'pytest'],
    ['go test -v ./...', 'go test'],
    ['cd web && npm test -- --run', 'cd web && npm test'],
    ['npx vitest run src/core', 'npx vitest run'],
  ])('%j is a run of %j, decided by its exit code', (commandRun, testCommand) => {
    expect(testRunMatch(commandRun, testCommand)).toBe('exit-code');
  });

  it.each([
    ['echo npm test', 'npm test'],
    ['npm testing', 'npm test'],
    ['npm run test:e2e', 'npm test'],
    ['npm', 'npm test'],
    ['git stash && npm test', 'npm test'],
    ['npm test', 'cd web && npm test'],
    ['cd api && npm test', 'cd web && npm test'],
    ['go test ./pkg/...', 'go test ./...'],
    ['npm test', ''],
    ['', 'npm test'],
  ])('%j is not a run of %j', (commandRun, testCommand) => {
    expect(testRunMatch(commandRun, testCommand)).toBeNull();
  });

  it('compares lines the word reader will not read as text: the test command, then only arguments', () => {
    expect(testRunMatch('npm test -- -t "$NAME"', 'npm test')).toBe('exit-code');
    expect(testRunMatch('npm test; echo $?', 'npm test')).toBe('output');
    expect(testRunMatch('npm test -- -t x', 'npm test -- -t "$NAME"')).toBeNull();
    expect(testRunMatch('npm test -- -t "$NAME"', 'npm test -- -t "$NAME"')).toBe('exit-code');
    expect(testRunMatch('echo $(npm test)', 'npm test')).toBeNull();
  });

  it.each([
    ['npm test | tail -20', 'npm test'],
    ['npm test 2>&1 | tail -40', 'npm test'],
    ['npm test || true', 'npm test'],
    ['npm test && echo done', 'npm test'],
    ['cd web && npm test -- --run | tail', 'cd web && npm test'],
    ['npm test -- -t "$NAME" | tail -5', 'npm test'],
  ])(
    '%j is a run of %j decided by its output: the exit code is a later command’s',
    (commandRun, testCommand) => {
      expect(testRunMatch(commandRun, testCommand)).toBe('output');
    },
  );

  it('leaves alone what is not a run whatever follows it', () => {
    expect(testRunMatch('echo npm test | tail', 'npm test')).toBeNull();
    expect(testRunMatch('git stash && npm test | tail', 'npm test')).toBeNull();
    expect(testRunMatch('npm testing | tail', 'npm test')).toBeNull();
  });
});

describe('testRunStatus', () => {
  it('takes the exit code when the tests ran last', () => {
    expect(testRunStatus('exit-code', 0, null)).toBe('passed');
    expect(testRunStatus('exit-code', 1, { passed: 3, failed: 0 })).toBe('failed');
  });

  it('takes the counts when another command ran last, and nothing when they are not stated', () => {
    expect(testRunStatus('output', 0, { passed: 9, failed: 1 })).toBe('failed');
    expect(testRunStatus('output', 1, { passed: 9, failed: 0 })).toBe('passed');
    expect(testRunStatus('output', 0, { passed: 9, failed: null })).toBe('passed');
    expect(testRunStatus('output', 0, null)).toBeNull();
    expect(testRunStatus('output', 0, { passed: null, failed: null })).toBeNull();
    expect(testRunStatus('output', 0, { passed: 0, failed: 0 })).toBeNull();
  });
});
