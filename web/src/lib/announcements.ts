import type { LiveEvent } from '../../../src/core/api/events.ts';
import { formatDuration } from './format-duration.ts';

/**
 * What a screen reader hears when work the person waits for ends in the conversation they look at (issue 11):
 * a model turn or a command. Everything else on the stream is seen, not announced; another conversation's
 * events are not announced at all. Null: nothing to say.
 *
 * @example
 * announcementFor({ type: 'model-call-ended', conversationId: 'c1', modelCallId: 'm', messageId: 'x',
 *   status: 'complete', error: null }, 'c1') // 'Model turn finished.'
 */
export function announcementFor(event: LiveEvent, conversationId: string | null): string | null {
  if (!('conversationId' in event) || event.conversationId !== conversationId) return null;
  if (event.type === 'model-call-ended') {
    if (event.status === 'complete') return 'Model turn finished.';
    if (event.status === 'stopped') return 'Model turn stopped.';
    return `Model turn failed${event.error ? `: ${event.error}` : '.'}`;
  }
  // Automatic compaction changed what the model reads (issue 8 item 7): never silent.
  if (event.type === 'context-compacted') return event.message;
  if (event.type === 'command-ended') {
    const { execution } = event;
    const took = execution.durationMs === null ? '' : ` after ${formatDuration(execution.durationMs)}`;
    switch (execution.status) {
      case 'completed':
        return `Command finished${took}, exit code ${execution.exitCode ?? 0}.`;
      case 'failed':
        return `Command failed${took}${execution.exitCode === null ? '' : `, exit code ${execution.exitCode}`}.`;
      case 'timed-out':
        return `Command timed out${took}.`;
      case 'interrupted':
        return `Command interrupted${took}.`;
      case 'cancelled':
        return 'Command cancelled before it ran.';
      default:
        return null;
    }
  }
  return null;
}
