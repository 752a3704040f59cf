/**
 * Preference pairs from what the person did (issue 9 item 2), for openai-dpo and trl-dpo. Each pair is a
 * prompt (the transcript before a model's turn, by the same rule as a live turn) and two versions of that
 * turn, the one the person preferred and one they did not:
 *
 * - `edited-message`: a model's message whose text the person changed: the final revision over the model's
 *   first one;
 * - `chosen-sibling`: answers to the same prompt (regenerated siblings): the one on the current path over
 *   each sibling off it. Ratings refine it: a sibling rated good is preferred over one the person went on
 *   with, and a message rated bad is never the preferred side;
 * - `edited-proposal`: a model's tool call the person changed before it ran: the call as it ran over the
 *   call as proposed;
 * - `rejected-proposal`: a tool call the person rejected: over it, the call that did what the person let
 *   run next in the conversation (their own command or the next proposal approved); when nothing ran after
 *   it, no pair: a rejection says what is wrong, not what is right.
 *
 * A turn is taken only if it and its prompt are live (undeleted, and checked unless the export takes
 * unchecked messages too).
 */
import type { ExecutionDto, ProposalDto } from '../api/terminal-schemas.ts';
import type { ToolCall } from '../domain.ts';
import { chatTranscript, type TranscriptMessage, type TranscriptOptions } from './chat-transcript.ts';
import { currentPath, pathTo } from './conversation-path.ts';
import type { ConversationRecord, RecordMessage } from './conversation-record.ts';
import { ranCall } from './proposal-calls.ts';
import {
  proposalEdited,
  proposalRejected,
  proposalsOf,
  ratingOf,
  textCorrected,
  writtenByModel,
} from './review-signals.ts';

export type PreferenceSource = 'edited-message' | 'chosen-sibling' | 'edited-proposal' | 'rejected-proposal';

/** An assistant turn: its text and tool calls. */
export interface PairTurn {
  content: string;
  toolCalls: ToolCall[];
}

export interface PreferencePair {
  source: PreferenceSource;
  /** The message whose turn is compared (the chosen one for siblings). */
  messageId: string;
  prompt: TranscriptMessage[];
  chosen: PairTurn;
  rejected: PairTurn;
}

export type PairOptions = TranscriptOptions;

/**
 * Every pair `record` gives, in the order of its messages.
 *
 * @example preferencePairs(record, { includeUnchecked: false }).map((pair) => pair.source)
 */
export function preferencePairs(record: ConversationRecord, options: PairOptions): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  const live = (message: RecordMessage) => !message.deleted && (options.includeUnchecked || message.included);
  const prompts = new Map<string | null, TranscriptMessage[] | null>();
  const promptBefore = (message: RecordMessage): TranscriptMessage[] | null => {
    if (!prompts.has(message.parentId)) {
      const path = message.parentId === null ? [] : pathTo(record, message.parentId);
      const transcript = chatTranscript(record, path, options);
      // A prompt must give the model something to answer.
      prompts.set(message.parentId, transcript.some((turn) => turn.role !== 'system') ? transcript : null);
    }
    return prompts.get(message.parentId) ?? null;
  };
  const add = (source: PreferenceSource, message: RecordMessage, chosen: PairTurn, rejected: PairTurn) => {
    const prompt = promptBefore(message);
    if (prompt === null || sameTurn(chosen, rejected)) return;
    pairs.push({ source, messageId: message.id, prompt, chosen, rejected });
  };

  for (const message of record.messages) {
    if (!writtenByModel(message) || !live(message)) continue;
    if (textCorrected(message) && ratingOf(record, 'message', message.id) !== 'bad') {
      const first = message.revisions[0]?.content ?? '';
      add('edited-message', message, turnOf(message), { content: first, toolCalls: message.toolCalls });
    }
    proposalPairs(record, message, add);
  }
  siblingPairs(record, live, add);
  return pairs;
}

type AddPair = (
  source: PreferenceSource,
  message: RecordMessage,
  chosen: PairTurn,
  rejected: PairTurn,
) => void;

function turnOf(message: RecordMessage): PairTurn {
  return { content: message.content, toolCalls: message.toolCalls };
}

function sameTurn(a: PairTurn, b: PairTurn): boolean {
  return a.content === b.content && JSON.stringify(a.toolCalls) === JSON.stringify(b.toolCalls);
}

/** Edited and rejected tool calls of one message: one pair per kind, every such call of the message in it. */
function proposalPairs(record: ConversationRecord, message: RecordMessage, add: AddPair): void {
  const proposals = proposalsOf(record, message.id).filter(
    (proposal) =>
      proposal.toolCallId !== null && message.toolCalls.some((call) => call.id === proposal.toolCallId),
  );
  const edited = proposals.filter((proposal) => proposalEdited(proposal) && proposal.execution !== null);
  if (edited.length > 0) {
    const calls = message.toolCalls.map((call) => {
      const proposal = edited.find((candidate) => candidate.toolCallId === call.id);
      return proposal?.execution ? ranCall(call.id, proposal.execution) : call;
    });
    add('edited-proposal', message, { content: message.content, toolCalls: calls }, turnOf(message));
  }
  const rejected = proposals.filter(proposalRejected);
  if (rejected.length > 0) {
    const own = new Set(proposals.map((proposal) => proposal.id));
    let replaced = 0;
    const calls = message.toolCalls.map((call) => {
      const proposal = rejected.find((candidate) => candidate.toolCallId === call.id);
      if (proposal === undefined) return call;
      const next = nextRun(record, proposal, own);
      if (next === null) return null;
      replaced += 1;
      return ranCall(call.id, next);
    });
    if (replaced > 0) {
      const kept = calls.filter((call): call is ToolCall => call !== null);
      add('rejected-proposal', message, { content: message.content, toolCalls: kept }, turnOf(message));
    }
  }
}

/** What the person let run next after rejecting `proposal`: the first execution after it that really ran. */
function nextRun(record: ConversationRecord, proposal: ProposalDto, own: Set<string>): ExecutionDto | null {
  const after = proposal.updatedAt;
  const candidates = record.executions
    .filter(
      (execution) =>
        execution.startedAt >= after &&
        (execution.proposalId === null || !own.has(execution.proposalId)) &&
        execution.status !== 'cancelled' &&
        execution.status !== 'queued',
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return candidates[0] ?? null;
}

/**
 * Regenerated answers: for each parent with more than one live model answer, the preferred one (rated good,
 * then on the current path, then unrated; rated bad never) over each that ranks below it.
 */
function siblingPairs(
  record: ConversationRecord,
  live: (message: RecordMessage) => boolean,
  add: AddPair,
): void {
  const onPath = new Set(currentPath(record).map((message) => message.id));
  const byParent = new Map<string | null, RecordMessage[]>();
  for (const message of record.messages) {
    // A stopped or failed answer is not a whole answer to compare.
    if (!writtenByModel(message) || !live(message) || message.status !== 'complete') continue;
    byParent.set(message.parentId, [...(byParent.get(message.parentId) ?? []), message]);
  }
  const rank = (message: RecordMessage) => {
    const rating = ratingOf(record, 'message', message.id);
    if (rating === 'bad') return 0;
    if (rating === 'good') return 3;
    return onPath.has(message.id) ? 2 : 1;
  };
  for (const siblings of byParent.values()) {
    if (siblings.length < 2) continue;
    const ranked = siblings.map((message) => ({ message, rank: rank(message) }));
    const best = ranked.reduce((top, candidate) => (candidate.rank > top.rank ? candidate : top));
    // Two answers nobody told apart (neither on the path nor rated) say nothing about preference.
    if (best.rank < 2) continue;
    for (const other of ranked) {
      if (other.rank < best.rank)
        add('chosen-sibling', best.message, turnOf(best.message), turnOf(other.message));
    }
  }
}
