import { useMemo, useRef } from 'react';
import { api, type Conversation, type Message } from '../api/client.ts';
import { contextApi } from '../api/context-api.ts';
import { modelApi } from '../api/model-api.ts';
import { conversationTitle } from '../lib/format.ts';
import type { MessageActions } from './message-actions.ts';
import type { useToasts } from './toasts.tsx';
import type { OpenConversation } from './use-conversation.ts';
import type { Selection } from './use-selection.ts';

export interface MessageActionDeps {
  conversation: Conversation;
  open: OpenConversation;
  selection: Selection;
  toasts: ReturnType<typeof useToasts>;
  openConversation: (id: string) => void;
  showRevisions: (messageId: string) => void;
  inspectCall: (messageId: string) => void;
  runMessage: (message: Message) => void;
  requestCopy: (messageIds: string[]) => void;
  setPinned: (messageId: string, pinned: boolean) => void;
  showMessage: (messageId: string) => void;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The card actions as one stable object (cards are memoised on it). It reads the latest dependencies through
 * a ref, so it never needs to change identity.
 */
export function useMessageActionHandlers(deps: MessageActionDeps): MessageActions {
  const latest = useRef(deps);
  latest.current = deps;

  return useMemo<MessageActions>(() => {
    const restore = async (messageIds: string[]) => {
      const { open, toasts } = latest.current;
      try {
        open.applyMessages(await api.restoreMessages(messageIds));
        toasts.show({ text: `Restored ${plural(messageIds.length, 'message')}.`, tone: 'info' });
      } catch (error) {
        toasts.reportError(error);
      }
    };

    const unsummarize = (message: Message) => {
      const { open, toasts } = latest.current;
      contextApi.unsummarize(message.id).then(
        (result) => open.applyMessages([result.summary, ...result.originals]),
        (error: unknown) => toasts.reportError(error),
      );
    };

    return {
      async revise(message: Message, content: string) {
        const { open, toasts } = latest.current;
        try {
          open.applyMessages([await api.reviseMessage(message.id, content)]);
          return true;
        } catch (error) {
          toasts.reportError(error);
          return false;
        }
      },
      setIncluded(message: Message, included: boolean) {
        const { open, toasts } = latest.current;
        // The checkbox answers at once; a failure puts the server's state back.
        open.applyMessages([{ ...message, included }]);
        api.setIncluded(message.id, included).then(
          (saved) => latest.current.open.applyMessages([saved]),
          (error: unknown) => {
            toasts.reportError(error);
            latest.current.open.reload();
          },
        );
      },
      remove(messageIds: string[]) {
        const { open, toasts, selection } = latest.current;
        api.deleteMessages(messageIds).then(
          () => {
            open.markDeleted(messageIds);
            selection.remove(messageIds);
            toasts.show({
              text: `Deleted ${plural(messageIds.length, 'message')}.`,
              tone: 'info',
              action: { label: 'Undo', run: () => void restore(messageIds) },
            });
          },
          (error: unknown) => toasts.reportError(error),
        );
      },
      restore(messageIds: string[]) {
        void restore(messageIds);
      },
      fork(message: Message) {
        const { conversation, toasts, openConversation } = latest.current;
        const originId = conversation.id;
        api.fork(conversation.id, message.id).then(
          (fork) => {
            openConversation(fork.id);
            toasts.show({
              text: `Forked into “${conversationTitle(fork.title)}” (${plural(fork.messages.length, 'message')}).`,
              tone: 'info',
              action: { label: 'Go back', run: () => latest.current.openConversation(originId) },
            });
          },
          (error: unknown) => toasts.reportError(error),
        );
      },
      copyTo(messageIds: string[]) {
        latest.current.requestCopy(messageIds);
      },
      selectBranch(messageId: string) {
        const { conversation, open, toasts } = latest.current;
        api
          .selectBranch(conversation.id, messageId)
          .then(open.replace, (error: unknown) => toasts.reportError(error));
      },
      showRevisions(messageId: string) {
        latest.current.showRevisions(messageId);
      },
      toggleSelected(messageId: string, options: { range: boolean }) {
        latest.current.selection.toggle(messageId, options);
      },
      setPinned(messageId: string, pinned: boolean) {
        latest.current.setPinned(messageId, pinned);
      },
      regenerate(message: Message) {
        const { conversation, toasts } = latest.current;
        modelApi
          .generate(conversation.id, { regenerate: message.id })
          .catch((error: unknown) => toasts.reportError(error));
      },
      stop(message: Message) {
        if (message.modelCallId === null) return;
        modelApi
          .stop(message.modelCallId)
          .catch((error: unknown) => latest.current.toasts.reportError(error));
      },
      inspectCall(messageId: string) {
        latest.current.inspectCall(messageId);
      },
      runMessage(message: Message) {
        latest.current.runMessage(message);
      },
      summarize(fromMessageId: string, toMessageId: string) {
        const { conversation, open, toasts, selection } = latest.current;
        toasts.show({ text: 'The model is drafting the summary…', tone: 'info' });
        contextApi.summarize(conversation.id, { fromMessageId, toMessageId }).then(
          (result) => {
            open.applyMessages([result.summary, ...result.originals]);
            selection.clear();
            toasts.show({
              text: `Summarized ${plural(result.originals.length, 'message')}; they are kept, unchecked.`,
              tone: 'info',
              action: { label: 'Undo', run: () => unsummarize(result.summary) },
            });
          },
          (error: unknown) => toasts.reportError(error),
        );
      },
      unsummarize,
      showMessage(messageId: string) {
        latest.current.showMessage(messageId);
      },
    };
  }, []);
}
