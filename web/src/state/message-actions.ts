import { createContext, useContext } from 'react';
import type { Message } from '../api/client.ts';

/**
 * What a message card can ask for. One object in context rather than a prop per action, so memoised cards
 * re-render only when their own message changes.
 */
export interface MessageActions {
  /** Resolves true when the revision was saved (the editor closes), false when it failed (the draft stays). */
  revise(message: Message, content: string): Promise<boolean>;
  setIncluded(message: Message, included: boolean): void;
  remove(messageIds: string[]): void;
  restore(messageIds: string[]): void;
  fork(message: Message): void;
  copyTo(messageIds: string[]): void;
  selectBranch(messageId: string): void;
  showRevisions(messageId: string): void;
  toggleSelected(messageId: string, options: { range: boolean }): void;
  /** A card being edited or browsed stays mounted when scrolled out of view, so its draft survives. */
  setPinned(messageId: string, pinned: boolean): void;
  /** A new sibling answer from the model (Regenerate, and Retry after a stop or an error). */
  regenerate(message: Message): void;
  stop(message: Message): void;
  /** The inspector on the model call that produced the message. */
  inspectCall(messageId: string): void;
  /** The original app's Run on an assistant message a person wrote: its commands become proposals. */
  runMessage(message: Message): void;
  /** The checked messages between two of the path become one summary drafted by the model (issue 8 item 7). */
  summarize(fromMessageId: string, toMessageId: string): void;
  /** Undo a summary: its originals are checked again and it is unchecked. */
  unsummarize(message: Message): void;
  /** Scroll to a message of the path and light it up (a summary's first original). */
  showMessage(messageId: string): void;
}

export const MessageActionsContext = createContext<MessageActions | null>(null);

export function useMessageActions(): MessageActions {
  const actions = useContext(MessageActionsContext);
  if (actions === null) throw new Error('message cards need a MessageActionsContext above them');
  return actions;
}
