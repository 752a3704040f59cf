/**
 * The test-summary parser on real outputs (issue 8, done-when): each runner that can run here runs a small
 * suite with passing, failing and skipped tests, and the parser must read its counts. jest and cargo are
 * not installable on CI, so their outputs are verbatim captures in test/fixtures/test-outputs/ (see its
 * SOURCES.md). pytest and go come from Debian (`python3-pytest`, `golang-go`): missing, their cases skip
 * saying so, and fail under MP_REQUIRE_ALL=1.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutOutput } from '../../src/core/output-cut.ts';
import { parseTestSummary } from '../../src/core/test-runs/test-summary.ts';
import { hasExecutable, REPO_ROOT, requirement } from '../support/environment.ts';

const FIXTURES = resolve(REPO_ROOT, 'test', 'fixtures', 'test-outputs');

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mp-test-outputs-'));
});
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Runs a runner as a person would in a terminal: output is stdout and stderr together, in order. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): { output: string; exitCode: number | null } {
  // One stream for both, as the sandbox's shell records it.
  const result: SpawnSyncReturns<string> = spawnSync('sh', ['-c', '"$@" 2>&1', 'sh', command, ...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { output: result.stdout, exitCode: result.status };
}

/** A child's environment with nothing of this vitest process in it (VITEST_*, NODE_OPTIONS…). */
function cleanEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...extra };
}

function sample(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Our stored outputs keep a head and a tail. A runner whose summary is one block still reads whole when
 * the tail holds that block (`keptFrom` is where its block starts); a runner summed over the whole output
 * (go, cargo) has lost lines to any cut, so its counts become unknown.
 */
function expectCutOutputRead(output: string, runner: string, keptFrom: string | null): void {
  let cut: string;
  if (keptFrom === null) {
    cut = cutOutput(output, { maxChars: Math.floor(output.length / 2) }).text;
  } else {
    const anchor = output.lastIndexOf(keptFrom);
    expect(anchor).toBeGreaterThan(0);
    const tailStart = output.lastIndexOf('\n', anchor) + 1;
    const head = 120;
    const maxChars = head + (output.length - tailStart) + 40;
    cut = cutOutput(output, { maxChars, headShare: head / (maxChars - 40) }).text;
  }
  expect(cut).toMatch(/\[… \d+ lines? cut …\]/);
  expect(cut.length).toBeLessThan(output.length);
  const expected =
    keptFrom === null ? { runner, passed: null, failed: null, skipped: null } : parseTestSummary(output);
  expect(parseTestSummary(cut)).toEqual(expected);
}

describe('vitest (this project’s own)', () => {
  it('reads the counts of a run with failing, skipped and todo tests, coloured, one test quoting other runners', () => {
    const dir = sample('vitest');
    writeFiles(dir, {
      'package.json': '{ "name": "sample", "private": true, "type": "module" }\n',
      // Globals, so the test files need not resolve `vitest` from this temporary folder.
      'vitest.config.mjs': 'export default { test: { globals: true } };\n',
      'sample.test.mjs': `describe('sample', () => {
  it('passes one', () => {
    console.log('==== 9 passed in 0.01s ====');
    console.log('test result: ok. 9 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s');
    expect(1).toBe(1);
  });
  it('passes two', () => expect(2).toBe(2));
  it('fails', () => expect(1).toBe(2));
  it.skip('is skipped', () => {});
  it.todo('is todo');
});
`,
      'other.test.mjs': "it('ok', () => expect(1).toBe(1));\n",
    });
    const vitest = resolve(REPO_ROOT, 'node_modules', '.bin', 'vitest');
    const { output, exitCode } = run(vitest, ['run'], {
      cwd: dir,
      env: cleanEnvironment(dir, { FORCE_COLOR: '1' }),
    });
    expect(exitCode).toBe(1);
    expect(output).toContain('\x1b[');
    expect(output).toContain('9 passed in 0.01s');
    expect(parseTestSummary(output)).toEqual({ runner: 'vitest', passed: 3, failed: 1, skipped: 2 });
    expectCutOutputRead(output, 'vitest', 'Tests ');
  });
});

describe('node:test', () => {
  const files = {
    'sample.test.mjs': `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('sample', () => {
  it('passes one', () => assert.equal(1, 1));
  it('passes two', () => assert.equal(2, 2));
  it('fails', () => assert.equal(1, 2));
  it('is skipped', { skip: true }, () => {});
  it('is todo', { todo: true }, () => {});
});
`,
  };

  it.each(['spec', 'tap'])('reads the %s reporter, whose summary is followed by the failures', (reporter) => {
    const dir = sample(`node-${reporter}`);
    writeFiles(dir, files);
    const { output, exitCode } = run(
      process.execPath,
      ['--test', `--test-reporter=${reporter}`, 'sample.test.mjs'],
      { cwd: dir, env: cleanEnvironment(dir, { FORCE_COLOR: '1' }) },
    );
    expect(exitCode).toBe(1);
    expect(output).toMatch(reporter === 'spec' ? /ℹ tests 5/ : /^# tests 5$/m);
    expect(parseTestSummary(output)).toEqual({ runner: 'node:test', passed: 2, failed: 1, skipped: 2 });
    expectCutOutputRead(output, 'node:test', reporter === 'spec' ? 'ℹ tests' : '# tests');
  });
});

const hasPytest =
  hasExecutable('python3') && spawnSync('python3', ['-c', 'import pytest'], { stdio: 'ignore' }).status === 0;

describe.runIf(requirement('pytest (Debian python3-pytest)', hasPytest))('pytest', () => {
  it.each([
    ['default', []],
    ['-q', ['-q']],
  ] as const)('reads the %s summary line, coloured, with errors, xfail and xpass', (_name, flags) => {
    const dir = sample(`pytest${flags.join('')}`);
    writeFiles(dir, {
      'test_sample.py': `import pytest

def test_passes_one():
    assert 1 == 1

def test_passes_two():
    assert 2 == 2

def test_fails():
    print("test result: ok. 9 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s")
    print("Test Suites: 1 passed, 1 total")
    print("Tests:       9 passed, 9 total")
    assert 1 == 2

@pytest.mark.skip(reason="not now")
def test_skipped():
    pass

@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False

@pytest.mark.xfail(reason="known")
def test_xpass():
    pass

@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")

def test_error(broken):
    pass
`,
    });
    const { output, exitCode } = run(
      'python3',
      ['-m', 'pytest', '-p', 'no:cacheprovider', '--color=yes', ...flags],
      {
        cwd: dir,
        env: cleanEnvironment(dir, { PYTHONDONTWRITEBYTECODE: '1' }),
      },
    );
    expect(exitCode).toBe(1);
    expect(output).toContain('Tests:       9 passed, 9 total');
    // 2 passed + 1 xpassed; 1 failed + 1 error; 1 skipped + 1 xfailed.
    expect(parseTestSummary(output)).toEqual({ runner: 'pytest', passed: 3, failed: 2, skipped: 2 });
    expectCutOutputRead(output, 'pytest', ' passed');
  });
});

describe.runIf(requirement('go (Debian golang-go)', hasExecutable('go')))('go test', () => {
  const dir = () => join(scratch, 'go');
  const goEnvironment = () =>
    cleanEnvironment(dir(), {
      GOPATH: join(dir(), 'gopath'),
      GOCACHE: join(dir(), 'cache'),
      // No network, no toolchain download, no telemetry: a module without dependencies needs none.
      GOPROXY: 'off',
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
      GOTELEMETRY: 'off',
      GOENV: 'off',
    });

  beforeAll(() => {
    writeFiles(join(dir(), 'src'), {
      'go.mod': 'module example.com/sample\n\ngo 1.19\n',
      'alpha/alpha_test.go': `package alpha

import (
	"fmt"
	"testing"
)

func TestPassesOne(t *testing.T) {
	fmt.Println(" Test Files  1 passed (1)")
	fmt.Println("      Tests  9 passed (9)")
}
func TestPassesTwo(t *testing.T) {}
func TestFails(t *testing.T)     { t.Fatal("1 != 2") }
func TestSkipped(t *testing.T)   { t.Skip("not now") }
func TestTable(t *testing.T) {
	t.Run("a", func(t *testing.T) {})
	t.Run("b", func(t *testing.T) { t.Error("b broke") })
	t.Run("c", func(t *testing.T) { t.Skip("c later") })
}
`,
      'beta/beta_test.go': 'package beta\n\nimport "testing"\n\nfunc TestOk(t *testing.T) {}\n',
      'gamma/gamma.go': 'package gamma\n',
      'delta/delta_test.go':
        'package delta\n\nimport "testing"\n\nfunc TestX(t *testing.T) { undefined() }\n',
    });
  });

  it('reads -v output of several packages, subtests counted once, a build failure as one failure', () => {
    const { output, exitCode } = run('go', ['test', '-count=1', '-v', './...'], {
      cwd: join(dir(), 'src'),
      env: goEnvironment(),
    });
    // go test exits 2 when a package did not build.
    expect(exitCode).toBe(2);
    expect(output).toMatch(/^FAIL\texample\.com\/sample\/delta \[build failed\]$/m);
    expect(output).toMatch(/^ok {2}\texample\.com\/sample\/beta\t/m);
    expect(output).toContain('Tests  9 passed (9)');
    // Passed: PassesOne, PassesTwo, Table/a, beta's Ok. Failed: Fails, Table/b, delta's build. Skipped: Skipped, Table/c.
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: 4, failed: 3, skipped: 2 });
    expectCutOutputRead(output, 'go', null);
  });

  it('reads output without -v: failures counted, passes and skips unknown', () => {
    const { output, exitCode } = run('go', ['test', '-count=1', './...'], {
      cwd: join(dir(), 'src'),
      env: goEnvironment(),
    });
    expect(exitCode).toBe(2);
    expect(output).not.toContain('--- PASS');
    expect(parseTestSummary(output)).toEqual({ runner: 'go', passed: null, failed: 3, skipped: null });
  });
});

describe('captured outputs (test/fixtures/test-outputs, SOURCES.md says how each was made)', () => {
  it.each([
    ['jest-plain.txt', { runner: 'jest', passed: 3, failed: 1, skipped: 2 }],
    ['jest-colour.txt', { runner: 'jest', passed: 3, failed: 1, skipped: 2 }],
    ['cargo-fail-fast.txt', { runner: 'cargo', passed: 2, failed: 1, skipped: 1 }],
    ['cargo-no-fail-fast-colour.txt', { runner: 'cargo', passed: 5, failed: 2, skipped: 2 }],
  ])('%s', (file, expected) => {
    const output = readFileSync(join(FIXTURES, file), 'utf8');
    expect(parseTestSummary(output)).toEqual(expected);
    expectCutOutputRead(output, expected.runner, expected.runner === 'cargo' ? null : 'Tests:');
  });
});
