/**
 * A path as the model read it, provider-neutral: the same rule as a live turn (assembleContext) for the
 * system prompt from the settings, authors, summaries standing in for their originals, tool results, and
 * unchecked or deleted messages left out. One rule, so a training example shows the model what it was shown.
 */
import { assembleContext } from '../context/assemble-context.ts';
import type { ProviderMessage } from '../provider.ts';
import type { ConversationRecord, RecordMessage } from './conversation-record.ts';

export interface TranscriptMessage extends ProviderMessage {
  /** The stored message it came from; null for the settings' system prompt or a placeholder tool result. */
  messageId: string | null;
}

export interface TranscriptOptions {
  /**
   * Take unchecked messages too. A summary then gives way to its originals (both would tell the same
   * history twice): the originals are the record, the summary a stand-in for a short context window.
   */
  includeUnchecked: boolean;
  /**
   * `name-field` (default): a custom author as OpenAI's `name`; `prefix`: as `[author] ` before the text,
   * for formats without a name (TRL's chat templates, ShareGPT), as non-OpenAI providers are sent it.
   */
  authorNames?: 'name-field' | 'prefix';
}

/**
 * The transcript of `path` (root first) in `record`'s conversation.
 *
 * @example chatTranscript(record, currentPath(record), { includeUnchecked: false })
 */
export function chatTranscript(
  record: ConversationRecord,
  path: readonly RecordMessage[],
  options: TranscriptOptions,
): TranscriptMessage[] {
  const messages = options.includeUnchecked
    ? path.map((message) => ({ ...message, included: !message.summarizes?.length }))
    : path;
  const context = assembleContext({
    path: messages,
    dialect: { authorNames: options.authorNames ?? 'name-field', toolMessages: true },
    systemPrompt: record.conversation.settings.systemPrompt,
    // Tokens are counted once per line by exportDataset; counting here would do it twice.
    countTokens: () => 0,
  });
  return context.messages.map((message, index) => ({
    ...message,
    messageId: context.sourceMessageIds[index]?.[0] ?? null,
  }));
}
