/** What the toast after a restore says (issue 8 item 3): that the files went back, and what came after. */
import type { RestoreResult } from '../api/workspace-api.ts';

const SHOWN = 3;
const PREVIEW_CHARS = 60;

/**
 * @example
 * restoreSummary([{ id: 'm1', role: 'assistant', preview: 'Fixed the test' }])
 * // → 'Files restored to before this step. 1 message came after it: assistant “Fixed the test”.'
 */
export function restoreSummary(messagesAfter: RestoreResult['messagesAfter']): string {
  const restored = 'Files restored to before this step.';
  const count = messagesAfter.length;
  if (count === 0) return `${restored} No message came after it.`;
  const named = messagesAfter
    .slice(0, SHOWN)
    // A model's turn that only called a tool has no text to quote.
    .map((message) => {
      const preview = shorten(message.preview);
      return preview === '' ? `${message.role} (a tool call)` : `${message.role} “${preview}”`;
    })
    .join(', ');
  const more = count > SHOWN ? ` and ${count - SHOWN} more` : '';
  return `${restored} ${count} ${count === 1 ? 'message' : 'messages'} came after it: ${named}${more}.`;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}
