/**
 * Pure updates of a loaded conversation from one changed message (a live event or our own request's answer).
 * When a change cannot be placed on the shown path with certainty, the answer says so and the caller refetches:
 * the server owns the tree, the page only mirrors one path of it.
 */
import type { Conversation, Message } from '../api/client.ts';

export interface PatchResult {
  conversation: Conversation;
  needsRefetch: boolean;
}

export function applyMessage(
  conversation: Conversation,
  message: Message,
  showDeleted: boolean,
): PatchResult {
  if (message.conversationId !== conversation.id) return { conversation, needsRefetch: false };
  const index = conversation.messages.findIndex((shown) => shown.id === message.id);
  if (index >= 0) {
    const messages = conversation.messages.slice();
    if (message.deleted && !showDeleted) messages.splice(index, 1);
    else messages[index] = message;
    return { conversation: { ...conversation, messages }, needsRefetch: false };
  }
  if (message.deleted) return { conversation, needsRefetch: false };
  const last = conversation.messages.at(-1);
  if (message.parentId === (last?.id ?? null)) {
    return {
      conversation: {
        ...conversation,
        messages: [...conversation.messages, message],
        currentLeafId: message.id,
      },
      needsRefetch: false,
    };
  }
  // A message on another branch or inserted mid-path changes sibling counts we cannot compute here.
  return { conversation, needsRefetch: true };
}

export function applyMessages(
  conversation: Conversation,
  messages: Message[],
  showDeleted: boolean,
): PatchResult {
  let needsRefetch = false;
  let current = conversation;
  for (const message of messages) {
    const result = applyMessage(current, message, showDeleted);
    current = result.conversation;
    needsRefetch ||= result.needsRefetch;
  }
  return { conversation: current, needsRefetch };
}
