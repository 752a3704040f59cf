/**
 * The unified diff of one file's change, for a proposal's card and the records (issue 8, item 1). jsdiff
 * (`diff`, already used by the web UI's word diff) computes it; the headers are git's (`a/`, `b/`,
 * `/dev/null` for a created or deleted file), so `git apply` and `patch -p1` take the text as it is.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';

export interface FileDiffInput {
  /** Workspace-relative path. */
  path: string;
  /** The text before (LF form), or null when the file is created. */
  before: string | null;
  /** The text after (LF form), or null when the file is deleted. */
  after: string | null;
  /** Lines of context around each change; 3, as git shows. */
  context?: number;
}

/**
 * Empty when nothing changed; only the two header lines for an empty file created or deleted.
 *
 * @example
 * unifiedDiff({ path: 'a.txt', before: 'x\n', after: 'y\n' })
 * // '--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-x\n+y\n'
 */
export function unifiedDiff(input: FileDiffInput): string {
  const { path, before, after } = input;
  if (before === after) return '';
  const oldName = before === null ? '/dev/null' : `a/${path}`;
  const newName = after === null ? '/dev/null' : `b/${path}`;
  const patch = structuredPatch(oldName, newName, before ?? '', after ?? '', undefined, undefined, {
    context: input.context ?? 3,
  });
  // An empty file created or deleted has no hunk; its headers still say what happened.
  if (patch.hunks.length === 0) return `--- ${oldName}\n+++ ${newName}\n`;
  return formatPatch(patch, FILE_HEADERS_ONLY);
}
