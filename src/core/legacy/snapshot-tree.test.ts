import { describe, expect, it } from 'vitest';
import { groupSnapshots, type TimedSnapshot, type TreeNode } from './snapshot-tree.ts';

function snapshots(...lists: number[][]): TimedSnapshot[] {
  return lists.map((messageIds, index) => ({
    snapshot: {
      id: index + 1,
      hash: `s${index}`,
      datetime: '',
      description: '',
      startupScript: '',
      messageIds,
    },
    at: index * 1000,
  }));
}

const pathOf = (node: TreeNode): number[] =>
  node.parent ? [...pathOf(node.parent), node.rootId] : [node.rootId];
const same = (id: number) => id;

describe('groupSnapshots', () => {
  it('makes a chain of growing snapshots one path, ending where the latest snapshot ends', () => {
    const [group, ...others] = groupSnapshots(snapshots([1], [1, 2], [1, 2, 3]), same);
    expect(others).toEqual([]);
    expect(group?.nodes.map(pathOf)).toEqual([[1], [1, 2], [1, 2, 3]]);
    expect(group && pathOf(group.currentLeaf)).toEqual([1, 2, 3]);
    expect(group?.nodes[0]?.observations.map((o) => o.snapshotId)).toEqual([1]);
  });

  it('branches where snapshots diverge, and the latest one is the current path', () => {
    const [group] = groupSnapshots(snapshots([1, 2, 3, 4], [1, 2], [1, 2, 5]), same);
    expect(group?.nodes.map(pathOf)).toEqual([[1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 5]]);
    expect(group && pathOf(group.currentLeaf)).toEqual([1, 2, 5]);
  });

  it('keeps an edited message at the position of the message it edits', () => {
    const rootOf = (id: number) => (id === 23 ? 3 : id);
    const [group] = groupSnapshots(snapshots([3, 5], [3, 5, 4], [23, 5, 6], [23, 5, 6, 7]), rootOf);
    expect(group?.nodes.map(pathOf)).toEqual([[3], [3, 5], [3, 5, 4], [3, 5, 6], [3, 5, 6, 7]]);
    expect(group?.nodes[0]?.observations.map((o) => [o.versionId, o.snapshotId])).toEqual([
      [3, 1],
      [23, 3],
    ]);
  });

  it('starts a separate tree for snapshots that start with another message, and skips empty ones', () => {
    const groups = groupSnapshots(snapshots([1], [], [1, 2], [3], [3, 4]), same);
    expect(groups.map((group) => group.nodes.map(pathOf))).toEqual([
      [[1], [1, 2]],
      [[3], [3, 4]],
    ]);
    expect(groups.map((group) => group.latest.snapshot.id)).toEqual([3, 5]);
  });

  it('orders snapshots by time, not by row id', () => {
    const timed = snapshots([1, 2], [1]);
    (timed[0] as TimedSnapshot).at = 5000;
    const [group] = groupSnapshots(timed, same);
    expect(group && pathOf(group.currentLeaf)).toEqual([1, 2]);
  });

  it('keeps text that appears twice in one snapshot (one reused row) as two positions', () => {
    const [group] = groupSnapshots(snapshots([1, 7, 2, 7]), same);
    expect(group?.nodes.map(pathOf)).toEqual([[1], [1, 7], [1, 7, 2], [1, 7, 2, 7]]);
  });
});
