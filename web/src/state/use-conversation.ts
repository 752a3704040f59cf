import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import { api, type Conversation, type Message } from '../api/client.ts';
import { applyMessages } from '../lib/conversation-patches.ts';
import { type CoalescedLoader, createCoalescedLoader } from './coalesced-loader.ts';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { useToasts } from './toasts.tsx';

export type ConversationState =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; conversation: Conversation }
  | { status: 'missing'; conversationId: string; message: string; deleted: boolean };

export interface OpenConversation {
  state: ConversationState;
  /** Bumped on every revision-created event, so open revision views refetch. */
  revisionsVersion: number;
  reload: () => void;
  replace: (conversation: Conversation) => void;
  /** Shows messages our own request changed, at once. */
  applyMessages: (messages: Message[]) => void;
  /** Hides (or marks, when deleted ones are shown) messages we deleted, at once. */
  markDeleted: (messageIds: string[]) => void;
}

/**
 * The open conversation, kept in step with the server: patched in place for changes on its path, refetched
 * (coalesced) for anything that may move the path, and refetched after the live stream reconnects.
 */
export function useConversation(conversationId: string | null, showDeleted: boolean): OpenConversation {
  const { reportError } = useToasts();
  const [state, setStateOnly] = useState<ConversationState>({ status: 'none' });
  // Patches read the state synchronously (to know whether a refetch is needed), so it lives in a ref too.
  const current = useRef<ConversationState>(state);
  const setState = useCallback((next: ConversationState) => {
    current.current = next;
    setStateOnly(next);
  }, []);
  const [revisionsVersion, setRevisionsVersion] = useState(0);
  const loader = useRef<CoalescedLoader | null>(null);
  const openId = useRef(conversationId);
  openId.current = conversationId;
  const showDeletedRef = useRef(showDeleted);
  showDeletedRef.current = showDeleted;

  useEffect(() => {
    if (conversationId === null) {
      setState({ status: 'none' });
      return;
    }
    const previous = current.current;
    if (!(previous.status === 'ready' && previous.conversation.id === conversationId))
      setState({ status: 'loading' });
    const created = createCoalescedLoader({
      load: () => api.getConversation(conversationId, { includeDeleted: showDeleted }),
      onLoaded: (conversation) => setState({ status: 'ready', conversation }),
      onError: (error) => {
        if (error instanceof ApiRequestError && error.status === 404) {
          setState({ status: 'missing', conversationId, message: error.message, deleted: false });
        } else {
          reportError(error);
        }
      },
    });
    loader.current = created;
    created.restart();
    return () => created.dispose();
  }, [conversationId, showDeleted, reportError, setState]);

  const patchMessages = useCallback(
    (messages: Message[]) => {
      const previous = current.current;
      if (previous.status !== 'ready') return;
      const result = applyMessages(previous.conversation, messages, showDeletedRef.current);
      if (result.conversation !== previous.conversation)
        setState({ status: 'ready', conversation: result.conversation });
      loader.current?.invalidate();
      if (result.needsRefetch) loader.current?.request();
    },
    [setState],
  );

  useLiveEvent((event) => {
    if (event.conversationId !== conversationId) return;
    switch (event.type) {
      case 'message-created':
      case 'message-updated':
        patchMessages([event.message]);
        return;
      case 'revision-created':
        setRevisionsVersion((version) => version + 1);
        return;
      case 'conversation-deleted':
        setState({
          status: 'missing',
          conversationId,
          message: 'This conversation was deleted.',
          deleted: true,
        });
        return;
      case 'conversation-updated':
      case 'conversation-restored':
      case 'messages-deleted':
      case 'messages-restored':
      case 'branch-selected':
        loader.current?.request();
        return;
      default:
        // Events of later features (model streams, commands) are handled by their own views.
        return;
    }
  });
  useResync(() => {
    loader.current?.request();
    setRevisionsVersion((version) => version + 1);
  });

  const reload = useCallback(() => loader.current?.request(), []);
  const replace = useCallback(
    (conversation: Conversation) => {
      // An answer about a conversation we have since navigated away from must not replace the open one.
      if (conversation.id !== openId.current) return;
      loader.current?.invalidate();
      setState({ status: 'ready', conversation });
    },
    [setState],
  );
  const markDeleted = useCallback(
    (messageIds: string[]) => {
      const previous = current.current;
      if (previous.status !== 'ready') return;
      const ids = new Set(messageIds);
      const messages = showDeletedRef.current
        ? previous.conversation.messages.map((message) =>
            ids.has(message.id) ? { ...message, deleted: true } : message,
          )
        : previous.conversation.messages.filter((message) => !ids.has(message.id));
      loader.current?.invalidate();
      setState({ status: 'ready', conversation: { ...previous.conversation, messages } });
    },
    [setState],
  );

  return useMemo(
    () => ({ state, revisionsVersion, reload, replace, applyMessages: patchMessages, markDeleted }),
    [state, revisionsVersion, reload, replace, patchMessages, markDeleted],
  );
}
