import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../../../src/core/api/events.ts';
import { api, type ConversationSummary } from '../api/client.ts';
import { createCoalescedLoader } from './coalesced-loader.ts';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { useToasts } from './toasts.tsx';

/** Events that change a title, a description, an order (updatedAt) or a message count. */
const LIST_EVENTS = new Set<LiveEvent['type']>([
  'conversation-created',
  'conversation-updated',
  'conversation-deleted',
  'conversation-restored',
  'message-created',
  'messages-deleted',
  'messages-restored',
  'branch-selected',
]);

export interface ConversationListState {
  conversations: ConversationSummary[] | null;
  reload: () => void;
  /** Shows a change we made ourselves at once, before the server's event confirms it. */
  patch: (id: string, change: Partial<ConversationSummary>) => void;
  remove: (id: string) => void;
}

export function useConversationList(): ConversationListState {
  const { reportError } = useToasts();
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null);
  const loader = useRef<ReturnType<typeof createCoalescedLoader> | null>(null);

  useEffect(() => {
    const created = createCoalescedLoader({
      load: () => api.listConversations(),
      onLoaded: setConversations,
      onError: reportError,
    });
    loader.current = created;
    created.restart();
    return () => created.dispose();
  }, [reportError]);

  useLiveEvent((event) => {
    if (LIST_EVENTS.has(event.type)) loader.current?.request();
  });
  useResync(() => loader.current?.request());

  const reload = useCallback(() => loader.current?.request(), []);
  const patch = useCallback((id: string, change: Partial<ConversationSummary>) => {
    loader.current?.invalidate();
    setConversations(
      (all) => all?.map((summary) => (summary.id === id ? { ...summary, ...change } : summary)) ?? all,
    );
  }, []);
  const remove = useCallback((id: string) => {
    loader.current?.invalidate();
    setConversations((all) => all?.filter((summary) => summary.id !== id) ?? all);
  }, []);
  return { conversations, reload, patch, remove };
}
