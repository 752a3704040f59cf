import type { Message } from '../domain.ts';
import type { ProviderDialect, ProviderMessage } from '../provider.ts';
import { countTokens as countO200k } from '../token-count.ts';
import { authorPrefix, openAiName } from './authors.ts';

/** Why a message on the path is not in the request. */
export interface SkippedMessage {
  messageId: string;
  reason: 'unchecked' | 'deleted';
}

/** A change assembly had to make so the request is valid; shown in the preview, never silent. */
export interface ContextAdjustment {
  kind: 'unanswered-tool-call' | 'orphan-tool-result' | 'tool-call-as-text';
  messageId: string;
  detail: string;
}

export interface AssembledContext {
  messages: ProviderMessage[];
  /** For each entry of `messages`, the ids of the path messages it came from (empty for placeholders). */
  sourceMessageIds: string[][];
  skipped: SkippedMessage[];
  adjustments: ContextAdjustment[];
  /** Sum of the content tokens (o200k unless a counter is injected); the provider counts the full request. */
  contentTokens: number;
  /** Whether the first message is the conversation's `systemPrompt` setting (the path held no system message). */
  systemPromptFromSettings: boolean;
}

/**
 * What assembly reads of a message: a stored message is one, and so is a dataset record's (which reads no
 * more than this from the store).
 */
export type ContextMessage = Pick<
  Message,
  'id' | 'role' | 'author' | 'content' | 'included' | 'deleted' | 'toolCalls' | 'toolCallId' | 'summarizes'
>;

export interface AssembleContextOptions {
  /** The conversation's current path, root first. */
  path: readonly ContextMessage[];
  dialect: ProviderDialect;
  countTokens?: (text: string) => number;
  /**
   * The conversation's system prompt setting: sent first when the path holds no live system message (a
   * system message the person wrote, or unchecked, is their choice and wins). Empty or absent: none.
   */
  systemPrompt?: string | undefined;
}

/** Placeholder result for a tool call nothing answered, so the provider accepts the history (issue 3). */
export const UNANSWERED_TOOL_RESULT = '(no result: this tool call was not run)';

/**
 * Turns the conversation's path into provider-neutral messages: unchecked and deleted messages are left out,
 * authors become OpenAI `name`s or `[author] ` prefixes, terminal output answering a tool call becomes that
 * call's result, and every tool call gets a result so the provider accepts the history. A live, checked
 * summary message stands where the first message it summarizes is on the path (it is appended at the leaf,
 * as the path is a chain of parents; its originals stay, unchecked), so the model reads the history in order.
 *
 * @example
 * const context = assembleContext({ path, dialect: { authorNames: 'name-field', toolMessages: true } });
 * await provider.preview({ model: 'gpt-4o', messages: context.messages });
 */
export function assembleContext(options: AssembleContextOptions): AssembledContext {
  const { dialect } = options;
  const count = options.countTokens ?? countO200k;
  const messages: ProviderMessage[] = [];
  const sourceMessageIds: string[][] = [];
  const skipped: SkippedMessage[] = [];
  const adjustments: ContextAdjustment[] = [];
  /** Calls of the latest assistant message that still wait for a result, in order. */
  let pending: { messageId: string; ids: string[] } | null = null;

  const push = (message: ProviderMessage, sources: string[]) => {
    messages.push(message);
    sourceMessageIds.push(sources);
  };

  const closePending = () => {
    if (pending === null) return;
    for (const id of pending.ids) {
      push({ role: 'tool', content: UNANSWERED_TOOL_RESULT, toolCallId: id }, []);
      adjustments.push({
        kind: 'unanswered-tool-call',
        messageId: pending.messageId,
        detail: `tool call ${id} had no result on the path; "${UNANSWERED_TOOL_RESULT}" was sent in its place`,
      });
    }
    pending = null;
  };

  const systemPrompt = options.systemPrompt ?? '';
  const systemPromptFromSettings =
    systemPrompt !== '' && !options.path.some((message) => message.role === 'system' && !message.deleted);
  if (systemPromptFromSettings) push({ role: 'system', content: systemPrompt }, []);

  const { summariesAt, moved } = summaryPlaces(options.path);

  const take = (message: ContextMessage) => {
    if (message.deleted) {
      skipped.push({ messageId: message.id, reason: 'deleted' });
      return;
    }
    if (!message.included) {
      skipped.push({ messageId: message.id, reason: 'unchecked' });
      return;
    }

    const answersCall =
      message.toolCallId !== null && (message.role === 'tool' || message.author === 'terminal');
    if (answersCall && dialect.toolMessages && pending?.ids.includes(message.toolCallId as string)) {
      pending.ids = pending.ids.filter((id) => id !== message.toolCallId);
      push({ role: 'tool', content: message.content, toolCallId: message.toolCallId as string }, [
        message.id,
      ]);
      if (pending.ids.length === 0) pending = null;
      return;
    }
    closePending();

    if (answersCall && dialect.toolMessages) {
      adjustments.push({
        kind: 'orphan-tool-result',
        messageId: message.id,
        detail: `its tool call ${message.toolCallId} is not on the path (unchecked or deleted); sent as terminal output`,
      });
    }

    if (message.role === 'system') {
      push({ role: 'system', content: message.content }, [message.id]);
      return;
    }

    if (message.role === 'assistant') {
      push(assistantMessage(message, dialect, adjustments), [message.id]);
      if (dialect.toolMessages && message.toolCalls.length > 0) {
        pending = { messageId: message.id, ids: message.toolCalls.map((call) => call.id) };
      }
      return;
    }

    // role user, or a tool result that cannot be sent as one: a user message from its author.
    // A summary speaks for the conversation, not for its author: sent plain, its text says what it is.
    const author =
      message.role === 'tool' ? 'terminal' : message.summarizes?.length ? 'human' : message.author;
    push(userMessage(message.content, author, dialect), [message.id]);
  };

  for (const message of options.path) {
    for (const summary of summariesAt.get(message.id) ?? []) take(summary);
    if (!moved.has(message.id)) take(message);
  }
  closePending();

  const contentTokens = messages.reduce((sum, message) => sum + count(message.content), 0);
  return { messages, sourceMessageIds, skipped, adjustments, contentTokens, systemPromptFromSettings };
}

/**
 * Where each live, checked summary is read: before the first message it summarizes that lies on the path
 * (`summariesAt`, keyed by that message), and so not at its own place (`moved`). A summary none of whose
 * originals is on the path stays where it is.
 */
function summaryPlaces(path: readonly ContextMessage[]): {
  summariesAt: Map<string, ContextMessage[]>;
  moved: Set<string>;
} {
  const summariesAt = new Map<string, ContextMessage[]>();
  const moved = new Set<string>();
  const position = new Map(path.map((message, index) => [message.id, index]));
  for (const summary of path) {
    if (summary.deleted || !summary.included || !summary.summarizes?.length) continue;
    const own = position.get(summary.id) as number;
    const first = summary.summarizes
      .map((id) => position.get(id))
      .filter((index): index is number => index !== undefined && index < own)
      .sort((a, b) => a - b)[0];
    if (first === undefined) continue;
    const anchor = (path[first] as ContextMessage).id;
    summariesAt.set(anchor, [...(summariesAt.get(anchor) ?? []), summary]);
    moved.add(summary.id);
  }
  return { summariesAt, moved };
}

function userMessage(content: string, author: string, dialect: ProviderDialect): ProviderMessage {
  if (author === 'human') return { role: 'user', content };
  if (dialect.authorNames === 'name-field') return { role: 'user', content, name: openAiName(author) };
  return { role: 'user', content: `${authorPrefix(author)}${content}` };
}

function assistantMessage(
  message: ContextMessage,
  dialect: ProviderDialect,
  adjustments: ContextAdjustment[],
): ProviderMessage {
  const custom = message.author !== 'model' && message.author !== 'human';
  let content = message.content;
  const result: ProviderMessage = { role: 'assistant', content };
  if (custom && dialect.authorNames === 'name-field') result.name = openAiName(message.author);
  if (custom && dialect.authorNames === 'prefix') content = `${authorPrefix(message.author)}${content}`;

  if (message.toolCalls.length > 0 && dialect.toolMessages) {
    result.toolCalls = message.toolCalls.map((call) => ({ ...call }));
  } else if (message.toolCalls.length > 0) {
    const calls = message.toolCalls.map((call) => `[tool call ${call.name} ${call.arguments}]`).join('\n');
    content = content === '' ? calls : `${content}\n\n${calls}`;
    adjustments.push({
      kind: 'tool-call-as-text',
      messageId: message.id,
      detail: 'this provider takes no tool calls; they were sent as text',
    });
  }
  result.content = content;
  return result;
}
