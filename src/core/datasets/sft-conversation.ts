/**
 * The one SFT conversation a record gives (openai-sft, trl-sft, sharegpt): the current path's transcript,
 * with the assistant turns a trainer should not learn from marked, and what follows the last assistant turn
 * cut (a question nobody answered teaches nothing; a path with no assistant turn is kept whole, and the
 * line rules count it as `empty`).
 */

import type { ToolCall } from '../domain.ts';
import { chatTranscript, type TranscriptMessage, type TranscriptOptions } from './chat-transcript.ts';
import { currentPath, messagesById } from './conversation-path.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { ranCall } from './proposal-calls.ts';
import { proposalEdited, proposalsOf, turnCorrected, turnRejected } from './review-signals.ts';

export interface SftTurn extends TranscriptMessage {
  /** An assistant turn the person rejected or corrected, or one that did not finish (stopped, failed). */
  untrained: boolean;
  /** Rejected or unfinished: nothing says what it should have been (a correction does). */
  rejected: boolean;
  /** When the person edited some of its tool calls before they ran: the calls as they ran. */
  callsAsRun?: ToolCall[];
}

/**
 * @example sftConversation(record, { includeUnchecked: false }).filter((turn) => turn.untrained)
 */
export function sftConversation(record: ConversationRecord, options: TranscriptOptions): SftTurn[] {
  const byId = messagesById(record);
  const turns = chatTranscript(record, currentPath(record), options).map((message): SftTurn => {
    const stored = message.messageId === null ? undefined : byId.get(message.messageId);
    if (message.role !== 'assistant' || stored === undefined)
      return { ...message, untrained: false, rejected: false };
    const rejected = stored.status !== 'complete' || turnRejected(record, stored);
    const turn: SftTurn = { ...message, untrained: rejected || turnCorrected(record, stored), rejected };
    const edited = proposalsOf(record, stored.id).filter(proposalEdited);
    if (edited.length > 0 && message.toolCalls !== undefined) {
      turn.callsAsRun = message.toolCalls.map((call) => {
        const execution = edited.find((proposal) => proposal.toolCallId === call.id)?.execution;
        return execution ? ranCall(call.id, execution) : call;
      });
    }
    return turn;
  });
  let end = turns.length;
  while (end > 0 && turns[end - 1]?.role !== 'assistant') end--;
  // Nothing to learn from: still an example, so the summary counts it as `empty`.
  return end === 0 ? turns : turns.slice(0, end);
}

/**
 * For formats that cannot weight a turn (trl-sft, sharegpt): corrected turns as the person corrected them
 * (the final text is already theirs; edited tool calls become the calls as they ran, which is also what the
 * following tool results answer), and the conversation up to its last assistant turn before the first one
 * the person rejected: what came after a rejected turn grew from it, and nothing says what it should have been.
 */
export function trainedPrefix(turns: readonly SftTurn[]): SftTurn[] {
  const firstRejected = turns.findIndex((turn) => turn.rejected);
  let end = firstRejected < 0 ? turns.length : firstRejected;
  while (end > 0 && turns[end - 1]?.role !== 'assistant') end--;
  return turns
    .slice(0, end)
    .map((turn) => (turn.callsAsRun === undefined ? turn : { ...turn, toolCalls: turn.callsAsRun }));
}
