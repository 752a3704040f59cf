import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_WINDOW, MAX_WINDOW } from '../../../src/core/api/schemas.ts';
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
  /** Loads the window above the oldest message held (the person scrolled near the top). */
  loadOlder: () => void;
  /** Loads every message up to `messageId` (a search hit above what is held); false when it is not on the path. */
  loadThrough: (messageId: string) => Promise<boolean>;
}

/** Messages kept above a search hit that is loaded, so it does not open at the very top of the list. */
const CONTEXT_ABOVE_JUMP = 10;

/**
 * The open conversation, kept in step with the server: patched in place for changes on its path, refetched
 * (coalesced) for anything that may move the path, and refetched after the live stream reconnects. It holds
 * a window of the path from its newest end, grown upwards as the person scrolls (issue 7 item 9); the totals
 * it shows come from the server, refreshed after every change, never summed from what is held.
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
  const statsLoader = useRef<CoalescedLoader | null>(null);
  const loadingOlder = useRef(false);
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
      // A refetch keeps as many messages as are held (within a window's cap), so scrolling back stays put.
      load: () => {
        const held = current.current.status === 'ready' ? current.current.conversation.messages.length : 0;
        const limit = Math.min(MAX_WINDOW, Math.max(DEFAULT_WINDOW, held));
        return api.getConversation(conversationId, { includeDeleted: showDeleted, limit });
      },
      onLoaded: (conversation) => setState({ status: 'ready', conversation }),
      onError: (error) => {
        if (error instanceof ApiRequestError && error.status === 404) {
          setState({ status: 'missing', conversationId, message: error.message, deleted: false });
        } else {
          reportError(error);
        }
      },
    });
    const stats = createCoalescedLoader({
      load: () => api.getMessages(conversationId, { limit: 0, includeDeleted: showDeleted }),
      onLoaded: ({ pathStats }) => {
        const previous = current.current;
        if (previous.status !== 'ready' || previous.conversation.id !== conversationId) return;
        setState({ status: 'ready', conversation: { ...previous.conversation, pathStats } });
      },
      onError: reportError,
    });
    loader.current = created;
    statsLoader.current = stats;
    loadingOlder.current = false;
    created.restart();
    return () => {
      created.dispose();
      stats.dispose();
    };
  }, [conversationId, showDeleted, reportError, setState]);

  /** Adds older messages above the held ones, if the held window still starts where the request began. */
  const prependOlder = useCallback(
    (before: string, window: { messages: Message[]; hasOlder: boolean }) => {
      const previous = current.current;
      if (previous.status !== 'ready' || previous.conversation.messages[0]?.id !== before) return;
      const held = new Set(previous.conversation.messages.map((message) => message.id));
      const older = window.messages.filter((message) => !held.has(message.id));
      setState({
        status: 'ready',
        conversation: {
          ...previous.conversation,
          messages: [...older, ...previous.conversation.messages],
          hasOlder: window.hasOlder,
        },
      });
    },
    [setState],
  );

  const loadOlder = useCallback(() => {
    const previous = current.current;
    if (previous.status !== 'ready' || !previous.conversation.hasOlder || loadingOlder.current) return;
    const before = previous.conversation.messages[0]?.id;
    if (before === undefined) return;
    loadingOlder.current = true;
    api
      .getMessages(previous.conversation.id, { before, includeDeleted: showDeletedRef.current })
      .then((window) => prependOlder(before, window), reportError)
      .finally(() => {
        loadingOlder.current = false;
      });
  }, [prependOlder, reportError]);

  const loadThrough = useCallback(
    async (messageId: string) => {
      const previous = current.current;
      if (previous.status !== 'ready') return false;
      const before = previous.conversation.messages[0]?.id;
      if (before === undefined || !previous.conversation.hasOlder) return false;
      try {
        const window = await api.getMessages(previous.conversation.id, {
          before,
          through: messageId,
          limit: CONTEXT_ABOVE_JUMP,
          includeDeleted: showDeletedRef.current,
        });
        prependOlder(before, window);
        return window.messages.some((message) => message.id === messageId);
      } catch (error) {
        // Not above the held window: not on this path (the caller offers its branch).
        if (error instanceof ApiRequestError && error.status === 404) return false;
        throw error;
      }
    },
    [prependOlder],
  );

  const patchMessages = useCallback(
    (messages: Message[]) => {
      const previous = current.current;
      if (previous.status !== 'ready') return;
      const result = applyMessages(previous.conversation, messages, showDeletedRef.current);
      if (result.conversation !== previous.conversation)
        setState({ status: 'ready', conversation: result.conversation });
      loader.current?.invalidate();
      if (result.needsRefetch) loader.current?.request();
      else statsLoader.current?.request();
    },
    [setState],
  );

  useLiveEvent((event) => {
    // `resync` reaches useResync instead (the hub turns it into one).
    if (event.type === 'resync' || event.conversationId !== conversationId) return;
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
  useResync((about) => {
    if (about !== null && about !== conversationId) return;
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
      statsLoader.current?.request();
    },
    [setState],
  );

  return useMemo(
    () => ({
      state,
      revisionsVersion,
      reload,
      replace,
      applyMessages: patchMessages,
      markDeleted,
      loadOlder,
      loadThrough,
    }),
    [state, revisionsVersion, reload, replace, patchMessages, markDeleted, loadOlder, loadThrough],
  );
}
