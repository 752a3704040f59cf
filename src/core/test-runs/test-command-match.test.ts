import { describe, expect, it } from 'vitest';
import { isTestRun } from './test-command-match.ts';

describe('isTestRun', () => {
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
  ])('%j is a run of %j', (commandRun, testCommand) => {
    expect(isTestRun(commandRun, testCommand)).toBe(true);
  });

  it.each([
    ['echo npm test', 'npm test'],
    ['npm testing', 'npm test'],
    ['npm run test:e2e', 'npm test'],
    ['npm', 'npm test'],
    ['npm test | tail -20', 'npm test'],
    ['npm test || true', 'npm test'],
    ['npm test && echo done', 'npm test'],
    ['git stash && npm test', 'npm test'],
    ['npm test', 'cd web && npm test'],
    ['cd api && npm test', 'cd web && npm test'],
    ['go test ./pkg/...', 'go test ./...'],
    ['npm test', ''],
    ['', 'npm test'],
  ])('%j is not a run of %j', (commandRun, testCommand) => {
    expect(isTestRun(commandRun, testCommand)).toBe(false);
  });

  it('compares lines the word reader will not read as text: the test command, then only arguments', () => {
    expect(isTestRun('npm test -- -t "$NAME"', 'npm test')).toBe(true);
    expect(isTestRun('npm test; echo $?', 'npm test')).toBe(false);
    expect(isTestRun('npm test -- -t x', 'npm test -- -t "$NAME"')).toBe(false);
    expect(isTestRun('npm test -- -t "$NAME"', 'npm test -- -t "$NAME"')).toBe(true);
    expect(isTestRun('echo $(npm test)', 'npm test')).toBe(false);
  });
});
