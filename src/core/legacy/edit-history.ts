import { LEGACY_MESSAGE_TYPES, type LegacyMessageRow } from './legacy-database.ts';

/**
 * The original saved an edit as a new message (type 4) whose `source_id` is the message it replaced, so every
 * message is the end of a chain back to what was first written: its root. A snapshot may hold any version;
 * all versions of one root are one message position.
 */
export interface EditHistory {
  /** The first-written message this one is a version of (itself when it is not an edit). */
  rootOf(id: number): number;
  /** The versions from the root to `id`, oldest first. */
  lineage(id: number): number[];
  /** Edits made directly to `id`. */
  editsOf(id: number): number[];
}

export function buildEditHistory(messages: ReadonlyMap<number, LegacyMessageRow>): EditHistory {
  const parentOf = new Map<number, number>();
  const reaches = (from: number, target: number): boolean => {
    for (let id: number | undefined = from; id !== undefined; id = parentOf.get(id))
      if (id === target) return true;
    return false;
  };
  for (const message of [...messages.values()].sort((a, b) => a.id - b.id)) {
    // An edit of a message that is not in the file keeps its text, as a message of its own. A cycle cannot
    // come from the original (an edit's source existed before it), but a damaged file must not hang the
    // import: the edge that would close one is left out.
    if (isEdit(message) && messages.has(message.sourceId) && !reaches(message.sourceId, message.id)) {
      parentOf.set(message.id, message.sourceId);
    }
  }
  const lineages = new Map<number, number[]>();
  const lineage = (id: number): number[] => {
    const known = lineages.get(id);
    if (known) return known;
    const chain: number[] = [];
    for (let version: number | undefined = id; version !== undefined; version = parentOf.get(version)) {
      chain.unshift(version);
    }
    lineages.set(id, chain);
    return chain;
  };
  const edits = new Map<number, number[]>();
  for (const [child, parent] of parentOf) edits.set(parent, [...(edits.get(parent) ?? []), child]);
  return {
    rootOf: (id) => lineage(id)[0] ?? id,
    lineage,
    editsOf: (id) => edits.get(id) ?? [],
  };
}

function isEdit(message: LegacyMessageRow): message is LegacyMessageRow & { sourceId: number } {
  return message.type === LEGACY_MESSAGE_TYPES.edit && message.sourceId !== null;
}
