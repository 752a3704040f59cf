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
  /**
   * The first snapshot to reach this position, then each later one that showed another version than the
   * snapshot before it: a long session repeats every position in every snapshot, and only changes matter.
   */
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
  // Children by root id under each node (and under "no parent" for first messages): walking a snapshot is
  // linear in its length, however long the session grew.
  const topLevel = new Map<number, TreeNode>();
  const childrenOf = new Map<TreeNode, Map<number, TreeNode>>();
  for (const timed of ordered) {
    const ids = timed.snapshot.messageIds;
    const first = ids[0];
    if (first === undefined) continue;
    const groupRoot = rootOf(first);
    const group = groups.get(groupRoot) ?? { nodes: [], snapshots: [], leaves: [] };
    groups.set(groupRoot, group);
    group.snapshots.push(timed);
    let parent: TreeNode | null = null;
    for (const versionId of ids) {
      const rootId = rootOf(versionId);
      const siblings: Map<number, TreeNode> =
        parent === null ? topLevel : (childrenOf.get(parent) ?? new Map<number, TreeNode>());
      if (parent !== null) childrenOf.set(parent, siblings);
      let node: TreeNode | undefined = siblings.get(rootId);
      if (!node) {
        node = { rootId, parent, observations: [] };
        siblings.set(rootId, node);
        group.nodes.push(node);
      }
      if (node.observations.at(-1)?.versionId !== versionId) {
        node.observations.push({ versionId, snapshotId: timed.snapshot.id, at: timed.at });
      }
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
