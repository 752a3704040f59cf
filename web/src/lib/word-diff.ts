import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

/** Past this the diff could freeze the page; the caller shows both texts instead. */
const DIFF_TIMEOUT_MS = 300;

/** Word diff that keeps whitespace and newlines, so code and prose changes read as they were made. */
export function wordDiff(before: string, after: string): DiffPart[] | null {
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (changes === undefined) return null;
  return changes.map((change) => ({
    text: change.value,
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
  }));
}
