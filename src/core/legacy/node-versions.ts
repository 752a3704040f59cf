import type { EditHistory } from './edit-history.ts';
import type { TreeNode } from './snapshot-tree.ts';

/**
 * The versions that become a position's revisions, root first: every version a snapshot showed there, the
 * versions between them (an edit of an edit that no snapshot caught), and edits made after the last snapshot
 * that no snapshot anywhere shows (the original saved an edit at once, the snapshot only with the next
 * message). Versions shown only at another position of the same root stay there: the original reused one row
 * for equal text, so "continue" typed twice is one row at two positions, each with its own edits.
 */
export function nodeVersions(
  node: TreeNode,
  history: EditHistory,
  shownAnywhere: ReadonlySet<number>,
): number[] {
  const versions = new Set<number>();
  for (const observation of node.observations) {
    for (const version of history.lineage(observation.versionId)) versions.add(version);
  }
  const pending = [...versions];
  for (let version = pending.pop(); version !== undefined; version = pending.pop()) {
    for (const edit of history.editsOf(version)) {
      if (versions.has(edit) || shownAnywhere.has(edit)) continue;
      versions.add(edit);
      pending.push(edit);
    }
  }
  return [...versions];
}
