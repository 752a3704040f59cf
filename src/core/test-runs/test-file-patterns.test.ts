import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEST_FILE_PATTERNS,
  isTestFile,
  TEST_FILE_PATTERN_GROUPS,
  workspaceRelativePath,
} from './test-file-patterns.ts';

describe('isTestFile with the default patterns', () => {
  it.each([
    // JavaScript/TypeScript
    'src/parser.test.ts',
    'web/src/app.spec.tsx',
    'lib/__tests__/util.js',
    'src/__snapshots__/view.test.tsx.snap',
    'test/api.test.ts',
    'tests/e2e/login.js',
    'packages/core/test/helpers.ts',
    'vitest.config.ts',
    'jest.config.js',
    // Python
    'test_app.py',
    'pkg/sub/test_models.py',
    'pkg/models_test.py',
    'conftest.py',
    'tests/fixtures/data.json',
    'pytest.ini',
    // Go
    'cmd/server/main_test.go',
    'internal/parse/testdata/input.txt',
    // Rust integration tests
    'crates/engine/tests/integration.rs',
    // Java/Kotlin
    'src/test/java/com/example/AppTest.java',
    'app/src/androidTest/kotlin/UiTest.kt',
    'lib/src/integrationTest/java/DbIT.java',
    // Ruby
    'spec/models/user_spec.rb',
    'lib/thing_spec.rb',
    'test/thing_test.rb',
    // C#, PHP, Elixir, Swift
    'App.Tests/ParserTests.cs',
    'src/ParserTest.php',
    'test/app_test.exs',
    'Tests/AppTests/AppTests.swift',
    // dot files inside a test folder count too
    'tests/.env.test',
  ])('%s is a test file', (path) => {
    expect(isTestFile(path)).toBe(true);
  });

  it.each([
    'src/parser.ts',
    'src/testing-library.ts',
    'src/contest.py',
    'app/models.py',
    'main.go',
    'src/lib.rs',
    'src/main/java/com/example/App.java',
    'lib/thing.rb',
    'README.md',
    'latest/notes.txt',
    'attestations/x.json',
  ])('%s is not a test file', (path) => {
    expect(isTestFile(path)).toBe(false);
  });

  it('cannot see a Rust unit test module inside src: a path says nothing about #[cfg(test)]', () => {
    expect(isTestFile('src/lib.rs')).toBe(false);
  });

  it('counts a test directory itself, so removing or moving the whole folder is seen', () => {
    expect(isTestFile('tests')).toBe(true);
    expect(isTestFile('pkg/__tests__')).toBe(true);
  });
});

describe('isTestFile with absolute paths and a workspace', () => {
  it('matches relative to the workspace, not the whole absolute path', () => {
    const workspace = '/home/me/tests/project';
    expect(isTestFile('/home/me/tests/project/src/app.ts', DEFAULT_TEST_FILE_PATTERNS, { workspace })).toBe(
      false,
    );
    expect(
      isTestFile('/home/me/tests/project/src/app.test.ts', DEFAULT_TEST_FILE_PATTERNS, { workspace }),
    ).toBe(true);
  });

  it('a path outside the workspace is never a test file of it', () => {
    expect(isTestFile('/tmp/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, { workspace: '/w' })).toBe(false);
    expect(isTestFile('../other/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, { workspace: '/w' })).toBe(false);
  });

  it('resolves a relative path against the cwd and through `..`', () => {
    const options = { workspace: '/w', cwd: '/w/src' };
    expect(isTestFile('../tests/a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(true);
    expect(isTestFile('a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(false);
    expect(isTestFile('a_test.go', DEFAULT_TEST_FILE_PATTERNS, { cwd: 'pkg' })).toBe(true);
  });
});

describe('isTestFile with configured patterns', () => {
  it('uses exactly the patterns given', () => {
    expect(isTestFile('checks/a.ts', ['checks/**'])).toBe(true);
    expect(isTestFile('src/a.test.ts', ['checks/**'])).toBe(false);
    expect(isTestFile('src/a.test.ts', [])).toBe(false);
  });
});

describe('workspaceRelativePath', () => {
  it.each([
    ['./src/./a.ts', {}, 'src/a.ts'],
    ['src//a.ts', {}, 'src/a.ts'],
    ['/w/src/a.ts', { workspace: '/w/' }, 'src/a.ts'],
    ['/w', { workspace: '/w' }, ''],
    ['/wx/a.ts', { workspace: '/w' }, null],
    ['../a.ts', {}, null],
    ['a.ts', { cwd: '/w/src', workspace: '/w' }, 'src/a.ts'],
  ] as const)('%s with %o is %s', (path, options, expected) => {
    expect(workspaceRelativePath(path, options)).toBe(expected);
  });
});

describe('the default list', () => {
  it('holds every group glob once', () => {
    const all = TEST_FILE_PATTERN_GROUPS.flatMap((group) => group.globs);
    expect(new Set(DEFAULT_TEST_FILE_PATTERNS)).toEqual(new Set(all));
    expect(DEFAULT_TEST_FILE_PATTERNS.length).toBe(new Set(all).size);
  });
});
