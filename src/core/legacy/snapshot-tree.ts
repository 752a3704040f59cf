import type { LegacySnapshotRow } from './legacy-database.ts';

export interface TimedSnapshot {
  snapshot: LegacySnapshotRow;
  /** Wall-clock ms (see legacy-time.ts). */
  at: number;
}

/** A snapshot showed `versionId` at this position. */
export interface Observation {
  versionId: number;
  snapshotId: number;
  at: number;
}

/** One message position: the same root message reached through the same earlier positions. */
export interface TreeNode {
  rootId: number;
  parent: TreeNode | null;
  /** Every snapshot that reached this position, oldest first. */
  observations: Observation[];
}

/** One working session: snapshots that start with the same message, merged into one tree. */
export interface SnapshotGroup {
  /** Parents before children, in the order the snapshots first reached them. */
  nodes: TreeNode[];
  /** Oldest first. */
  snapshots: TimedSnapshot[];
  latest: TimedSnapshot;
  /** Where the latest snapshot ends: the conversation's current path. */
  currentLeaf: TreeNode;
}

/**
 * Merges snapshots into trees. Each snapshot is a path of message positions; positions are named by the
 * root of each message's edit chain, so an edited message stays the position it edits instead of starting a
 * branch. Snapshots that share a first message share a tree: a later snapshot that extends an earlier one
 * continues its path, and where two disagree the tree branches. Snapshots with no messages add nothing.
 */
export function groupSnapshots(
  snapshots: readonly TimedSnapshot[],
  rootOf: (id: number) => number,
): SnapshotGroup[] {
  const ordered = [...snapshots].sort((a, b) => a.at - b.at || a.snapshot.id - b.snapshot.id);
  const groups = new Map<number, { nodes: TreeNode[]; snapshots: TimedSnapshot[]; leaves: TreeNode[] }>();
  const nodesByPath = new Map<string, TreeNode>();
  for (const timed of ordered) {
    const ids = timed.snapshot.messageIds;
    const first = ids[0];
    if (first === undefined) continue;
    const groupRoot = rootOf(first);
    const group = groups.get(groupRoot) ?? { nodes: [], snapshots: [], leaves: [] };
    groups.set(groupRoot, group);
    group.snapshots.push(timed);
    let parent: TreeNode | null = null;
    let path = '';
    for (const versionId of ids) {
      const rootId = rootOf(versionId);
      path = `${path}/${rootId}`;
      let node = nodesByPath.get(path);
      if (!node) {
        node = { rootId, parent, observations: [] };
        nodesByPath.set(path, node);
        group.nodes.push(node);
      }
      node.observations.push({ versionId, snapshotId: timed.snapshot.id, at: timed.at });
      parent = node;
    }
    if (parent) group.leaves.push(parent);
  }
  return [...groups.values()].map((group) => ({
    nodes: group.nodes,
    snapshots: group.snapshots,
    latest: group.snapshots.at(-1) as TimedSnapshot,
    currentLeaf: group.leaves.at(-1) as TreeNode,
  }));
}
