import type { Message } from '../domain.ts';
import type { ProviderDialect, ProviderMessage } from '../provider.ts';
import { assembleContext } from './assemble-context.ts';

/** What the model is asked when it drafts a summary; the answer is stored exactly as it comes back. */
export const SUMMARY_INSTRUCTION =
  'Summarize the conversation above so that it can replace it in your context. Begin with ' +
  '"Summary of earlier work:". Keep what is needed to go on: the task, what was done and why, the ' +
  'commands and edits that mattered and their outcomes, file paths, names, numbers and errors exactly as ' +
  'they were, decisions made, and what is left to do. Leave out the rest. Write it in a few short ' +
  'paragraphs or a list; do not call any tool.';

/**
 * The request that drafts a summary of `range` (checked, live messages of the path, oldest first): the
 * range as the model would read it in context, then the instruction as the person's message. Pure, so the
 * preview and the call send the same messages.
 *
 * @example
 * const messages = summaryRequestMessages({ range, dialect: provider.dialect });
 */
export function summaryRequestMessages(options: {
  range: readonly Message[];
  dialect: ProviderDialect;
  systemPrompt?: string | undefined;
}): ProviderMessage[] {
  const context = assembleContext({
    path: options.range,
    dialect: options.dialect,
    systemPrompt: options.systemPrompt,
  });
  return [...context.messages, { role: 'user', content: SUMMARY_INSTRUCTION }];
}

/** The live, checked messages between two messages of a path (either order), or why there are none. */
export function summaryRange(
  path: readonly Message[],
  fromMessageId: string,
  toMessageId: string,
): { range: Message[] } | { problem: string; field: 'fromMessageId' | 'toMessageId' } {
  const from = path.findIndex((message) => message.id === fromMessageId);
  if (from === -1)
    return { problem: `message ${fromMessageId} is not on the current path`, field: 'fromMessageId' };
  const to = path.findIndex((message) => message.id === toMessageId);
  if (to === -1)
    return { problem: `message ${toMessageId} is not on the current path`, field: 'toMessageId' };
  const range = path
    .slice(Math.min(from, to), Math.max(from, to) + 1)
    .filter((message) => !message.deleted && message.included);
  if (range.length === 0) {
    return {
      problem: 'every message in that range is unchecked or deleted: there is nothing to summarize',
      field: 'fromMessageId',
    };
  }
  return { range };
}
