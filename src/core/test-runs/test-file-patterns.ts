/**
 * Which files are tests, by path (issue 8, the test-edit guard): a proposal that changes one while the last
 * test run failed gets a warning, because "edit the test instead of the code" is the failure the guard is
 * for. Paths are matched relative to the workspace root with picomatch globs (`dot: true`, POSIX).
 *
 * What a path cannot show: Rust's unit tests live inside the code (`#[cfg(test)] mod tests` in `src/*.rs`),
 * and so do doctests in Rust and Python and Go's example functions in non-`_test` files; an edit to
 * those is not recognised here. The guard on edit proposals is exact for the path it edits; the guard on
 * shell commands (command-touches-test-file.ts) is a heuristic over the words of the command.
 */
import picomatch from 'picomatch/posix.js';

export interface TestFilePatternGroup {
  ecosystem: string;
  globs: readonly string[];
}

/** Defaults per ecosystem; a conversation or config may replace the flattened list. */
export const TEST_FILE_PATTERN_GROUPS: readonly TestFilePatternGroup[] = [
  {
    ecosystem: 'JavaScript/TypeScript',
    globs: [
      '**/*.test.*',
      '**/*.spec.*',
      '**/__tests__/**',
      '**/__snapshots__/**',
      '**/__mocks__/**',
      '**/test/**',
      '**/tests/**',
      '**/vitest.config.*',
      '**/jest.config.*',
    ],
  },
  {
    ecosystem: 'Python',
    globs: ['**/test_*.py', '**/*_test.py', '**/tests/**', '**/conftest.py', '**/pytest.ini'],
  },
  { ecosystem: 'Go', globs: ['**/*_test.go', '**/testdata/**'] },
  // Unit tests in `#[cfg(test)]` modules sit inside `src/*.rs`: no path shows them.
  { ecosystem: 'Rust', globs: ['**/tests/**'] },
  {
    ecosystem: 'Java/Kotlin',
    globs: ['**/src/test/**', '**/src/*Test/**', '**/src/testFixtures/**'],
  },
  { ecosystem: 'Ruby', globs: ['**/spec/**', '**/*_spec.rb', '**/test/**', '**/*_test.rb'] },
  { ecosystem: 'C#', globs: ['**/*.Tests/**', '**/*.Test/**', '**/*Tests.cs'] },
  { ecosystem: 'PHP', globs: ['**/tests/**', '**/*Test.php'] },
  { ecosystem: 'Elixir', globs: ['**/test/**', '**/*_test.exs'] },
  { ecosystem: 'Swift', globs: ['**/Tests/**'] },
];

/** Every default glob once, in the order of the groups. */
export const DEFAULT_TEST_FILE_PATTERNS: readonly string[] = [
  ...new Set(TEST_FILE_PATTERN_GROUPS.flatMap((group) => group.globs)),
];

export interface TestPathOptions {
  /**
   * The workspace root as an absolute path. An absolute `path` inside it is matched relative to it; one
   * outside it is never a test file of this workspace. Without it an absolute path's ancestors would count
   * (a workspace under `/home/me/tests/` would make every file a test).
   */
  workspace?: string | undefined;
  /** Directory a relative `path` is relative to: absolute, or relative to the workspace root. */
  cwd?: string | undefined;
}

type Matcher = (path: string) => boolean;
const matchers = new Map<string, Matcher>();
const MATCHER_CACHE_SIZE = 16;

function matcherFor(patterns: readonly string[]): Matcher {
  const key = patterns.join('\n');
  let matcher = matchers.get(key);
  if (matcher === undefined) {
    matcher = patterns.length === 0 ? () => false : picomatch([...patterns], { dot: true });
    if (matchers.size >= MATCHER_CACHE_SIZE) matchers.delete(matchers.keys().next().value!);
    matchers.set(key, matcher);
  }
  return matcher;
}

/**
 * `path` as a workspace-relative POSIX path without `.` or `..` segments, or null when it climbs out of the
 * workspace. An absolute path is made relative to `options.workspace`; with no workspace given it is kept
 * as written, minus its leading slash.
 */
export function workspaceRelativePath(path: string, options: TestPathOptions = {}): string | null {
  const workspace = options.workspace === undefined ? undefined : trimSlashes(options.workspace);
  let full = path;
  if (!path.startsWith('/') && options.cwd !== undefined && options.cwd !== '') {
    full = `${options.cwd}/${path}`;
  }
  if (full.startsWith('/')) {
    if (workspace === undefined) return normalizeSegments(full);
    const normalized = normalizeSegments(full);
    if (normalized === null) return null;
    if (workspace === '') return normalized;
    if (normalized === workspace) return '';
    if (!normalized.startsWith(`${workspace}/`)) return null;
    return normalized.slice(workspace.length + 1);
  }
  return normalizeSegments(full);
}

function trimSlashes(path: string): string {
  return normalizeSegments(path) ?? '';
}

function normalizeSegments(path: string): string | null {
  const kept: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (kept.length === 0) return null;
      kept.pop();
      continue;
    }
    kept.push(segment);
  }
  return kept.join('/');
}

/**
 * Whether `path` is a test file (or a test directory) by the given globs.
 *
 * @example
 * isTestFile('src/parser.test.ts')                        // true
 * isTestFile('pkg/parse_test.go')                         // true
 * isTestFile('src/parser.ts')                             // false
 * isTestFile('/w/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, { workspace: '/w' }) // true
 * isTestFile('/elsewhere/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, { workspace: '/w' }) // false
 */
export function isTestFile(
  path: string,
  patterns: readonly string[] = DEFAULT_TEST_FILE_PATTERNS,
  options: TestPathOptions = {},
): boolean {
  const relative = workspaceRelativePath(path, options);
  if (relative === null || relative === '') return false;
  return matcherFor(patterns)(relative);
}
