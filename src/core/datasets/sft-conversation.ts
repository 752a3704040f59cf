/**
 * The one SFT conversation a record gives (openai-sft, trl-sft, sharegpt): the current path's transcript,
 * with the assistant turns a trainer should not learn from marked, and what follows the last assistant turn
 * cut (a question nobody answered teaches nothing; a path with no assistant turn is kept whole, and the
 * line rules count it as `empty`).
 */
import { chatTranscript, type TranscriptMessage } from './chat-transcript.ts';
import { currentPath } from './conversation-path.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { turnRejectedOrCorrected } from './review-signals.ts';

export interface SftTurn extends TranscriptMessage {
  /** An assistant turn the person rejected or corrected, or one that did not finish (stopped, failed). */
  untrained: boolean;
}

/**
 * @example sftConversation(record, { includeUnchecked: false }).filter((turn) => turn.untrained)
 */
export function sftConversation(
  record: ConversationRecord,
  options: { includeUnchecked: boolean },
): SftTurn[] {
  const byId = new Map(record.messages.map((message) => [message.id, message]));
  const turns = chatTranscript(record, currentPath(record), options).map((message): SftTurn => {
    const stored = message.messageId === null ? undefined : byId.get(message.messageId);
    const untrained =
      message.role === 'assistant' &&
      stored !== undefined &&
      (stored.status !== 'complete' || turnRejectedOrCorrected(record, stored));
    return { ...message, untrained };
  });
  let end = turns.length;
  while (end > 0 && turns[end - 1]?.role !== 'assistant') end--;
  // Nothing to learn from: still an example, so the summary counts it as `empty`.
  return end === 0 ? turns : turns.slice(0, end);
}
