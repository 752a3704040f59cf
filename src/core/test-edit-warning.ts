/**
 * The test-edit guard (issue 8 item 6): while the conversation's last test run failed, a proposal that
 * changes a test file is flagged, because "edit the test instead of the code" is the failure it is for. Exact
 * for a file action (its path is matched against the test-file globs); for a shell command the words are
 * read for a test path it would write (a heuristic: test-runs/command-touches-test-file.ts).
 */
import type { FileAction } from './api/terminal-schemas.ts';
import { commandTouchesTestFile } from './test-runs/command-touches-test-file.ts';
import { DEFAULT_TEST_FILE_PATTERNS, isTestFile } from './test-runs/test-file-patterns.ts';

export interface TestEditWarningInput {
  lastTestRunFailed: boolean;
  /** The file action; null for a command. */
  action: FileAction | null;
  command: string;
  /** The conversation's globs; unset takes the defaults per ecosystem. */
  patterns: readonly string[] | undefined;
  /** The workspace root, so an absolute path inside it is matched relative to it (unknown: as written). */
  workspace: string | undefined;
}

/**
 * @example
 * testEditWarning({ lastTestRunFailed: true, action: { tool: 'edit_file', path: 'src/a.test.ts', edits },
 *   command: '', patterns: undefined, workspace: '/w' }) // true
 */
export function testEditWarning(input: TestEditWarningInput): boolean {
  if (!input.lastTestRunFailed) return false;
  const patterns = input.patterns ?? DEFAULT_TEST_FILE_PATTERNS;
  if (input.action !== null) {
    if (input.action.tool === 'read_file') return false;
    return isTestFile(input.action.path, patterns, { workspace: input.workspace });
  }
  return commandTouchesTestFile(input.command, patterns, { workspace: input.workspace });
}
