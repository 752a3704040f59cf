/**
 * What the person said about a model's work, read from a record (issue 9): ratings, corrections of the text,
 * and proposals they edited or rejected. The builders turn these into `weight: 0` (SFT) and into which side
 * of a preference pair a message is on.
 */
import type { ProposalDto } from '../api/terminal-schemas.ts';
import type { ConversationRecord, RecordMessage } from './conversation-record.ts';

export type Rating = 'good' | 'bad';

interface RecordIndex {
  /** `kind:id` → the latest rating's value and time. */
  ratings: Map<string, { value: string; createdAt: string }>;
  proposalsByMessage: Map<string, ProposalDto[]>;
}

/**
 * The index of the record last asked about, so a long conversation costs one pass over its labels and
 * proposals, not one per message. Builders take records one at a time, so one entry hits as often as a
 * WeakMap of every record would, without the weak entry per record that costs an export's collector.
 */
let lastIndexed: { record: ConversationRecord; index: RecordIndex } | undefined;

function indexOf(record: ConversationRecord): RecordIndex {
  let index = lastIndexed?.record === record ? lastIndexed.index : undefined;
  if (index === undefined) {
    index = { ratings: new Map(), proposalsByMessage: new Map() };
    for (const label of record.labels) {
      if (label.name !== 'rating') continue;
      const key = `${label.targetKind}:${label.targetId}`;
      const latest = index.ratings.get(key);
      if (latest === undefined || label.createdAt >= latest.createdAt) index.ratings.set(key, label);
    }
    for (const proposal of record.proposals) {
      const list = index.proposalsByMessage.get(proposal.messageId) ?? [];
      list.push(proposal);
      index.proposalsByMessage.set(proposal.messageId, list);
    }
    lastIndexed = { record, index };
  }
  return index;
}

/** The latest rating of a message or proposal (whoever gave it), or null when it has none. */
export function ratingOf(
  record: ConversationRecord,
  targetKind: 'message' | 'proposal',
  targetId: string,
): Rating | null {
  const { ratings } = indexOf(record);
  // Most records have no rating: no key to build for them.
  if (ratings.size === 0) return null;
  const latest = ratings.get(`${targetKind}:${targetId}`);
  return latest?.value === 'good' || latest?.value === 'bad' ? latest.value : null;
}

/** The proposals a message made, in the record's order. */
export function proposalsOf(record: ConversationRecord, messageId: string): readonly ProposalDto[] {
  return indexOf(record).proposalsByMessage.get(messageId) ?? [];
}

/** A message the model wrote (its first revision is the model's), whatever happened to it after. */
export function writtenByModel(message: RecordMessage): boolean {
  return message.role === 'assistant' && message.revisions[0]?.editor === 'model';
}

/** A model's message whose text a person changed afterwards: its first and final revisions differ. */
export function textCorrected(message: RecordMessage): boolean {
  if (!writtenByModel(message) || message.revisions.length < 2) return false;
  const first = message.revisions[0];
  const last = message.revisions[message.revisions.length - 1];
  return first !== undefined && last !== undefined && first.content !== last.content;
}

/** A proposal the person edited before it ran: what ran differs from what was proposed. */
export function proposalEdited(proposal: ProposalDto): boolean {
  const execution = proposal.execution;
  if (execution === null) return proposal.status === 'edited';
  if (proposal.action !== null && execution.actionRun !== null) {
    return JSON.stringify(proposal.action) !== JSON.stringify(execution.actionRun);
  }
  return execution.commandProposed !== null && execution.commandProposed !== execution.commandRun;
}

export function proposalRejected(proposal: ProposalDto): boolean {
  return proposal.status === 'rejected';
}

/**
 * An assistant turn the person rejected: rated bad, or one of its tool calls rejected or rated bad. Nothing
 * in the record says what the turn should have been.
 */
export function turnRejected(record: ConversationRecord, message: RecordMessage): boolean {
  if (ratingOf(record, 'message', message.id) === 'bad') return true;
  return proposalsOf(record, message.id).some(
    (proposal) => proposalRejected(proposal) || ratingOf(record, 'proposal', proposal.id) === 'bad',
  );
}

/**
 * An assistant turn the person corrected: its text edited, or one of its tool calls edited before it ran. A
 * good rating is the person's word that the text as it stands is right, and wins over a text correction
 * (not over an edited call: the model's call stays wrong).
 */
export function turnCorrected(record: ConversationRecord, message: RecordMessage): boolean {
  if (proposalsOf(record, message.id).some(proposalEdited)) return true;
  return ratingOf(record, 'message', message.id) !== 'good' && textCorrected(message);
}
