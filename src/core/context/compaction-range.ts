import type { Message } from '../domain.ts';

/** Room kept for the summary that replaces the range (its draft is capped at this many tokens). */
export const COMPACTION_SUMMARY_TOKENS = 1000;

/**
 * The oldest messages to summarise so that a turn fits (automatic compaction, issue 8 item 7): checked,
 * live, non-system messages from the start of the path (system messages stay: they set the task's rules),
 * up to the fewest whose stored token counts free `tokensToFree` plus the summary's own room. The newest
 * message is never taken: it is what the model answers. Null when even all of them would not free enough.
 *
 * @example
 * compactionRange(path, 1200) // → the oldest messages totalling at least 2,200 tokens, or null
 */
export function compactionRange(path: readonly Message[], tokensToFree: number): Message[] | null {
  const needed = tokensToFree + COMPACTION_SUMMARY_TOKENS;
  const candidates = path.slice(0, -1).filter((message) => !message.deleted && message.included);
  const range: Message[] = [];
  let freed = 0;
  for (const message of candidates) {
    if (message.role === 'system') {
      if (range.length === 0) continue;
      break; // a system message after the start ends the range: the summary would stand before it
    }
    range.push(message);
    freed += message.tokenCount;
    if (freed >= needed) return range;
  }
  return null;
}
