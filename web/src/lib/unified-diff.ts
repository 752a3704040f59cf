/**
 * A unified diff (git's, as the checkpoint and changes routes send it) split into files and lines a view can
 * colour and number. Only what the view needs is read: which file, which lines were added or removed, and the
 * line numbers each side had; git's extended headers (modes, renames, binary) stay as notes.
 */

export type DiffLineKind = 'hunk' | 'added' | 'removed' | 'context' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** Without the leading `+`, `-` or space; a hunk's `@@ … @@` header or a note as it stands. */
  text: string;
  /** The line's number in the old file (removed and context lines). */
  oldNumber: number | null;
  /** The line's number in the new file (added and context lines). */
  newNumber: number | null;
}

export interface DiffFile {
  /** The file's path after the change (before it, for a deleted file), relative to the workspace. */
  path: string;
  /** git's extended header lines (`new file mode 100644`, `Binary files … differ`, renames). */
  notes: string[];
  lines: DiffLine[];
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * @example
 * parseUnifiedDiff('diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y\n')
 * // → [{ path: 'a.txt', notes: [], lines: [hunk, removed 'x' (old 1), added 'y' (new 1)] }]
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let inHunk = false;
  let oldLine = 0;
  let newLine = 0;
  const lines = text.split('\n');
  // A diff ends with a newline: the empty string after it is no line of the diff.
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      file = { path: pathFromGitHeader(line.slice('diff --git '.length)), notes: [], lines: [] };
      files.push(file);
      inHunk = false;
      continue;
    }
    if (file === null) {
      // A diff without git's header (a plain `diff -u`): the `---`/`+++` lines open the file.
      if (!line.startsWith('--- ')) continue;
      file = { path: '', notes: [], lines: [] };
      files.push(file);
    }
    const hunk = HUNK.exec(line);
    if (hunk !== null) {
      inHunk = true;
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      file.lines.push({ kind: 'hunk', text: line, oldNumber: null, newNumber: null });
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('--- ')) {
        const path = stripSide(line.slice(4));
        if (path !== null && file.path === '') file.path = path;
      } else if (line.startsWith('+++ ')) {
        const path = stripSide(line.slice(4));
        if (path !== null) file.path = path;
      } else if (!line.startsWith('index ')) {
        file.notes.push(line);
      }
      continue;
    }
    const mark = line[0];
    const rest = line.slice(1);
    if (mark === '+') {
      file.lines.push({ kind: 'added', text: rest, oldNumber: null, newNumber: newLine++ });
    } else if (mark === '-') {
      file.lines.push({ kind: 'removed', text: rest, oldNumber: oldLine++, newNumber: null });
    } else if (mark === ' ' || line === '') {
      file.lines.push({ kind: 'context', text: rest, oldNumber: oldLine++, newNumber: newLine++ });
    } else {
      // `\ No newline at end of file`, or a line outside the format: shown as it is, numbered nowhere.
      file.lines.push({ kind: 'note', text: line, oldNumber: null, newNumber: null });
    }
  }
  return files;
}

/** `a/x b/x` → `x`; git quotes a path with unusual characters (`"a/t\ta" "b/t\ta"`), kept readable here. */
function pathFromGitHeader(header: string): string {
  const quoted = /^"a\/(.*)" "b\/(.*)"$/.exec(header);
  if (quoted !== null) return quoted[2] ?? '';
  // Both sides name the same file unless it was renamed, so the header is `a/P b/P`: P is its second half.
  const half = (header.length - 1) / 2;
  if (Number.isInteger(half) && header.startsWith('a/') && header.slice(half + 1).startsWith('b/')) {
    return header.slice(half + 3);
  }
  const split = header.lastIndexOf(' b/');
  return split === -1 ? header : header.slice(split + 3);
}

function stripSide(name: string): string | null {
  const unquoted = name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
  if (unquoted === '/dev/null') return null;
  return unquoted.replace(/^[ab]\//, '').replace(/\t.*$/, '');
}
