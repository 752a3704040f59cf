import type { Author, Editor, Role } from '../domain.ts';
import { legacyConversationTitle } from './conversation-title.ts';
import { buildEditHistory, type EditHistory } from './edit-history.ts';
import { InvalidLegacyDatabaseError } from './invalid-legacy-database-error.ts';
import { LEGACY_MESSAGE_TYPES, type LegacyDatabase, type LegacyMessageRow } from './legacy-database.ts';
import { legacyAuthorship, type ParsedLegacyMessage, parseLegacyMessage } from './legacy-message.ts';
import { inferUtcOffsetMinutes, parseWallClock, type UtcOffsetAt, wallClockToIso } from './legacy-time.ts';
import { nodeVersions } from './node-versions.ts';
import { type MatchCandidate, matchResponses } from './response-matching.ts';
import { groupSnapshots, type SnapshotGroup, type TreeNode } from './snapshot-tree.ts';

/**
 * What importing a legacy database will create, with a stable key for each part (built from the legacy
 * content hashes, not row ids), so the import can skip what an earlier import of the same data created.
 */
export interface LegacyImportPlan {
  conversations: PlannedConversation[];
  /** How legacy wall-clock times were placed in time. */
  timeZone: { source: 'responses'; offsetMinutes: number } | { source: 'this-machine' };
  /** Raw responses that matched no message and had no conversation to go with (a file without snapshots). */
  droppedResponses: number;
}

export interface PlannedConversation {
  key: string;
  title: string;
  description: string;
  startupScript: string;
  createdAt: string;
  updatedAt: string;
  /** Parents before children. */
  messages: PlannedMessage[];
  currentLeafKey: string;
  /** Raw responses that matched no message, kept with the conversation closest in time. */
  unlinkedModelCalls: PlannedModelCall[];
}

export interface PlannedMessage {
  key: string;
  parentKey: string | null;
  role: Role;
  author: Author;
  createdAt: string;
  /** Revision 1 first: what the model or the person first wrote. */
  revisions: PlannedRevision[];
  modelCall: PlannedModelCall | null;
}

export interface PlannedRevision {
  key: string;
  content: string;
  editor: Editor;
  createdAt: string;
}

export interface PlannedModelCall {
  key: string;
  model: string;
  /** The raw `chat.completion` JSON, exactly as the original stored it. */
  response: string;
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  createdAt: string;
}

export interface PlanOptions {
  legacy: LegacyDatabase;
  /** A collision-resistant digest (hex), used to build keys from chains of hashes. */
  digest: (text: string) => string;
  /** The zone to assume when the file holds no raw responses to infer it from. */
  fallbackOffsetAt: UtcOffsetAt;
}

interface Context {
  rows: Map<number, LegacyMessageRow>;
  parsed: Map<number, ParsedLegacyMessage>;
  wall: Map<number, number>;
  history: EditHistory;
  shownAnywhere: Set<number>;
  snapshotHashes: Map<number, string>;
  iso: (wallClockMs: number) => string;
  digest: (text: string) => string;
}

export function planLegacyImport(options: PlanOptions): LegacyImportPlan {
  const { legacy } = options;
  const rows = new Map(legacy.messages.map((row) => [row.id, row]));
  const parsed = new Map(legacy.messages.map((row) => [row.id, parseLegacyMessage(row)]));
  const wall = new Map(legacy.messages.map((row) => [row.id, wallClock(row.datetime, `message ${row.id}`)]));
  const snapshots = legacy.snapshots.map((snapshot) => {
    for (const id of snapshot.messageIds) {
      if (!rows.has(id)) {
        throw new InvalidLegacyDatabaseError(
          'bad-data',
          `legacy conversation ${snapshot.id} lists message ${id}, which is not in the file`,
        );
      }
    }
    return { snapshot, at: wallClock(snapshot.datetime, `conversation ${snapshot.id}`) };
  });
  const responses = legacy.messages.filter((row) => parsed.get(row.id)?.kind === 'response');
  const offset = inferUtcOffsetMinutes(
    responses.flatMap((row) => {
      const response = parsed.get(row.id);
      const utcSeconds = response?.kind === 'response' ? response.createdUtcSeconds : undefined;
      return utcSeconds === undefined ? [] : [{ wallClockMs: wall.get(row.id) ?? 0, utcSeconds }];
    }),
  );
  const offsetAt: UtcOffsetAt = offset === undefined ? options.fallbackOffsetAt : () => offset;
  const context: Context = {
    rows,
    parsed,
    wall,
    history: buildEditHistory(rows),
    shownAnywhere: new Set(legacy.snapshots.flatMap((snapshot) => snapshot.messageIds)),
    snapshotHashes: new Map(legacy.snapshots.map((snapshot) => [snapshot.id, snapshot.hash])),
    iso: (ms) => wallClockToIso(ms, offsetAt),
    digest: options.digest,
  };
  const groups = groupSnapshots(snapshots, context.history.rootOf);
  const { linked, unlinked } = linkResponses(context, groups, responses);
  const conversations = groups.map((group) => planConversation(context, group, linked));
  let droppedResponses = 0;
  for (const response of unlinked) {
    const at = wall.get(response.id) ?? 0;
    const nearest = nearestGroup(groups, at);
    if (nearest === undefined) droppedResponses++;
    else conversations[nearest]?.unlinkedModelCalls.push(plannedModelCall(context, response));
  }
  return {
    conversations,
    timeZone:
      offset === undefined ? { source: 'this-machine' } : { source: 'responses', offsetMinutes: offset },
    droppedResponses,
  };
}

/** Node → the raw response that produced it; and the responses that produced none of them. */
function linkResponses(context: Context, groups: SnapshotGroup[], responses: LegacyMessageRow[]) {
  const linked = new Map<TreeNode, LegacyMessageRow>();
  const candidates: MatchCandidate<TreeNode>[] = [];
  for (const node of groups.flatMap((group) => group.nodes)) {
    const root = context.rows.get(node.rootId) as LegacyMessageRow;
    const message = context.parsed.get(node.rootId) as ParsedLegacyMessage;
    // A snapshot that holds the raw response itself (older versions of the original did) needs no matching.
    if (message.kind === 'response') linked.set(node, root);
    else if (mayBeModelAnswer(root) && legacyAuthorship(root, message, false).role === 'assistant') {
      candidates.push({
        ref: node,
        content: message.content,
        firstSeenAt: node.observations[0]?.at ?? 0,
        writtenAt: context.wall.get(root.id) ?? 0,
      });
    }
  }
  const alreadyLinked = new Set([...linked.values()].map((row) => row.id));
  const toMatch = responses.filter((row) => !alreadyLinked.has(row.id));
  const matches = matchResponses(
    toMatch.map((row) => {
      const response = context.parsed.get(row.id);
      return { id: row.id, content: response?.content ?? '', at: context.wall.get(row.id) ?? 0 };
    }),
    candidates,
  );
  for (const row of toMatch) {
    const node = matches.get(row.id);
    if (node) linked.set(node, row);
  }
  const linkedIds = new Set([...linked.values()].map((row) => row.id));
  return { linked, unlinked: responses.filter((row) => !linkedIds.has(row.id)) };
}

/** A formatted answer (type 1), or a row the original saved without a type. Typed text is never the model's. */
function mayBeModelAnswer(row: LegacyMessageRow): boolean {
  const known: number[] = [
    LEGACY_MESSAGE_TYPES.rawResponse,
    LEGACY_MESSAGE_TYPES.manualEntry,
    LEGACY_MESSAGE_TYPES.terminalOutput,
    LEGACY_MESSAGE_TYPES.edit,
  ];
  return !known.includes(row.type);
}

function planConversation(
  context: Context,
  group: SnapshotGroup,
  linked: Map<TreeNode, LegacyMessageRow>,
): PlannedConversation {
  const identities = new Map<TreeNode, string>();
  const createdAt = new Map<TreeNode, number>();
  const messages = new Map<TreeNode, PlannedMessage>();
  let latestChange = group.latest.at;
  for (const node of group.nodes) {
    const root = context.rows.get(node.rootId) as LegacyMessageRow;
    const parentIdentity = node.parent ? (identities.get(node.parent) as string) : '';
    const identity = context.digest(`${parentIdentity}/${root.hash}`);
    identities.set(node, identity);
    // A reused row (equal text typed again later) carries the time it was first written: the position's
    // own time is when a snapshot first showed it.
    const written = context.wall.get(root.id) ?? 0;
    const parentCreated = node.parent ? (createdAt.get(node.parent) ?? 0) : Number.NEGATIVE_INFINITY;
    const created = written >= parentCreated ? written : (node.observations[0]?.at ?? written);
    createdAt.set(node, created);
    const response = linked.get(node);
    const authorship = legacyAuthorship(root, context.parsed.get(root.id) as ParsedLegacyMessage, !!response);
    const revisions = planRevisions(context, node, identity, authorship.editor, created);
    latestChange = Math.max(latestChange, ...revisions.map((revision) => revision.at));
    messages.set(node, {
      key: `message/${identity}`,
      parentKey: node.parent ? `message/${identities.get(node.parent)}` : null,
      role: authorship.role,
      author: authorship.author,
      createdAt: context.iso(created),
      revisions: revisions.map(({ at, ...revision }) => ({ ...revision, createdAt: context.iso(at) })),
      modelCall: response ? plannedModelCall(context, response) : null,
    });
  }
  const firstRoot = context.rows.get(group.nodes[0]?.rootId ?? -1) as LegacyMessageRow;
  const latestSet = (pick: (snapshot: SnapshotGroup['latest']['snapshot']) => string) =>
    group.snapshots.map((timed) => pick(timed.snapshot)).findLast((text) => text.trim() !== '') ?? '';
  // The original wrote a description onto the snapshot current at the time; the next snapshot starts empty
  // again. So the latest one that has a description holds the latest description.
  const description = latestSet((snapshot) => snapshot.description);
  const currentPath: PlannedMessage[] = [];
  for (let node: TreeNode | null = group.currentLeaf; node; node = node.parent) {
    currentPath.unshift(messages.get(node) as PlannedMessage);
  }
  return {
    key: `conversation/${firstRoot.hash}`,
    title: legacyConversationTitle(
      description,
      currentPath.map((message) => ({ ...message, content: message.revisions.at(-1)?.content ?? '' })),
    ),
    description,
    startupScript: latestSet((snapshot) => snapshot.startupScript),
    createdAt: context.iso(Math.min(group.snapshots[0]?.at ?? Infinity, ...createdAt.values())),
    updatedAt: context.iso(latestChange),
    messages: [...messages.values()],
    currentLeafKey: (messages.get(group.currentLeaf) as PlannedMessage).key,
    unlinkedModelCalls: [],
  };
}

/**
 * Revision 1 is the root; then, in time order, every edit, and every time a snapshot showed a text other than
 * the latest one: editing text back to an earlier version reused that version's row, which is no edit, so
 * only the snapshot shows it happened.
 */
function planRevisions(
  context: Context,
  node: TreeNode,
  identity: string,
  firstEditor: Editor,
  created: number,
) {
  const [rootId, ...edits] = nodeVersions(node, context.history, context.shownAnywhere);
  const timeOf = (id: number) => context.wall.get(id) ?? 0;
  const textOf = (id: number) => context.parsed.get(id)?.content ?? '';
  const hashOf = (id: number) => (context.rows.get(id) as LegacyMessageRow).hash;
  const root = rootId as number;
  const revisions = [
    { key: `revision/${identity}/${hashOf(root)}`, content: textOf(root), editor: firstEditor, at: created },
  ];
  const add = (revision: { key: string; content: string; at: number }) => {
    const previous = revisions.at(-1)?.at ?? created;
    // Only a person could change a message in the original (a message card's confirm button).
    revisions.push({ ...revision, editor: 'human', at: Math.max(previous, revision.at) });
  };
  const events = [
    ...edits.map((id) => ({ at: timeOf(id), id, edit: true, snapshotId: 0 })),
    ...node.observations.map((seen) => ({
      at: seen.at,
      id: seen.versionId,
      edit: false,
      snapshotId: seen.snapshotId,
    })),
  ].sort((a, b) => a.at - b.at || Number(b.edit) - Number(a.edit) || a.id - b.id);
  for (const event of events) {
    if (event.edit)
      add({ key: `revision/${identity}/${hashOf(event.id)}`, content: textOf(event.id), at: event.at });
    else if (textOf(event.id) !== revisions.at(-1)?.content) {
      const snapshotHash = context.snapshotHashes.get(event.snapshotId);
      add({
        key: `revision/${identity}/${hashOf(event.id)}/shown-in/${snapshotHash}`,
        content: textOf(event.id),
        at: event.at,
      });
    }
  }
  return revisions;
}

function plannedModelCall(context: Context, row: LegacyMessageRow): PlannedModelCall {
  const response = context.parsed.get(row.id);
  return {
    key: `model-call/${row.hash}`,
    model: response?.kind === 'response' ? response.model : 'unknown',
    response: row.content,
    usage: response?.kind === 'response' ? response.usage : null,
    finishReason: response?.kind === 'response' ? response.finishReason : null,
    createdAt: context.iso(context.wall.get(row.id) ?? 0),
  };
}

function nearestGroup(groups: SnapshotGroup[], at: number): number | undefined {
  let best: { index: number; distance: number } | undefined;
  groups.forEach((group, index) => {
    const start = group.snapshots[0]?.at ?? group.latest.at;
    const distance = at < start ? start - at : Math.max(0, at - group.latest.at);
    if (best === undefined || distance < best.distance) best = { index, distance };
  });
  return best?.index;
}

function wallClock(text: string, what: string): number {
  const ms = parseWallClock(text);
  if (ms === undefined) {
    throw new InvalidLegacyDatabaseError(
      'bad-data',
      `legacy ${what} has a datetime that is not a time: ${text}`,
    );
  }
  return ms;
}
