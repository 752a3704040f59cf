/**
 * Readers for git's machine output (`-z`: records end in NUL, paths are written as they are, bytes and all).
 * Paths stay "byte strings" here (one char per byte, latin1) so they go back to git or to the file system
 * unchanged whatever their encoding; `displayPath` turns one into text for people and the API.
 */

/** A change between two trees, from `git diff-tree -r -z --raw --numstat`. */
export interface FileChange {
  /** Added, Modified, Deleted, Renamed (only when renames are detected), Type changed (file ↔ symlink …). */
  status: 'A' | 'M' | 'D' | 'R' | 'T';
  /** The path after the change (before it, for a deletion): a byte string. */
  path: string;
  /** For a rename, the path before it. */
  oldPath?: string;
  /** Octal modes as git writes them (`100644`, `100755`, `120000` symlink, `000000` absent). */
  oldMode: string;
  newMode: string;
  binary: boolean;
  /** Lines added and removed (0 for a binary file). */
  insertions: number;
  deletions: number;
}

/** One line of `git status --porcelain -z --no-renames`: XY and the path (a directory ends in `/`). */
export interface StatusEntry {
  index: string;
  worktree: string;
  path: string;
}

export function byteString(bytes: Buffer): string {
  return bytes.toString('latin1');
}

export function pathBytes(path: string): Buffer {
  return Buffer.from(path, 'latin1');
}

/** A byte-string path as text (invalid UTF-8 shown as U+FFFD). */
export function displayPath(path: string): string {
  return pathBytes(path).toString('utf8');
}

/** A text path (as the API receives it) as the byte string git and the file system use. */
export function bytePath(path: string): string {
  return byteString(Buffer.from(path, 'utf8'));
}

function records(output: Buffer): string[] {
  const text = byteString(output);
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

export function parseStatus(output: Buffer): StatusEntry[] {
  return records(output).map((record) => ({
    index: record.slice(0, 1),
    worktree: record.slice(1, 2),
    path: record.slice(3),
  }));
}

const CHANGE_STATUSES = new Set(['A', 'M', 'D', 'R', 'T']);

/**
 * Reads `--raw` records followed by `--numstat` records for the same files in the same order (git writes
 * the raw section first). A copy (C) is not asked for; an unmerged (U) entry cannot occur between trees.
 */
export function parseRawNumstat(output: Buffer): FileChange[] {
  const parts = records(output);
  const changes: FileChange[] = [];
  let at = 0;
  while (at < parts.length && parts[at]?.startsWith(':')) {
    const header = (parts[at] ?? '').slice(1).split(' ');
    const [oldMode = '', newMode = '', , , statusWord = ''] = header;
    const status = statusWord.slice(0, 1);
    if (!CHANGE_STATUSES.has(status)) throw new Error(`unexpected diff status ${statusWord}`);
    if (status === 'R') {
      changes.push({
        status: 'R',
        oldPath: parts[at + 1] ?? '',
        path: parts[at + 2] ?? '',
        oldMode,
        newMode,
        binary: false,
        insertions: 0,
        deletions: 0,
      });
      at += 3;
    } else {
      changes.push({
        status: status as FileChange['status'],
        path: parts[at + 1] ?? '',
        oldMode,
        newMode,
        binary: false,
        insertions: 0,
        deletions: 0,
      });
      at += 2;
    }
  }
  for (const change of changes) {
    const record = parts[at] ?? '';
    const [added = '', removed = '', inlinePath = ''] = record.split('\t');
    // A rename's numstat names no path inline: the old and new paths follow as their own records.
    at += inlinePath === '' && record.endsWith('\t') ? 3 : 1;
    if (added === '-' && removed === '-') {
      change.binary = true;
    } else {
      change.insertions = Number(added);
      change.deletions = Number(removed);
    }
  }
  return changes;
}
