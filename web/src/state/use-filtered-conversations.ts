/**
 * The conversation list under the sidebar's filters (issue 9 item 1), asked of the server, which filters in
 * its query. Reloaded when the filters change and when a label or the list changes; null while none apply
 * (the sidebar then shows the app's unfiltered list).
 */
import { useEffect, useState } from 'react';
import type { ConversationSummary } from '../api/client.ts';
import { filterQuery, reviewApi, type SidebarFilters } from '../api/review-api.ts';
import { type CoalescedLoader, createCoalescedLoader } from './coalesced-loader.ts';
import { useLiveEvent } from './live-events-context.tsx';
import { useToasts } from './toasts.tsx';

const RELOAD_ON = new Set<string>([
  'label-changed',
  'message-created',
  'messages-deleted',
  'messages-restored',
]);

export function useFilteredConversations(filters: SidebarFilters): ConversationSummary[] | null {
  const { reportError } = useToasts();
  const query = filterQuery(filters);
  const [result, setResult] = useState<{ query: string; conversations: ConversationSummary[] } | null>(null);
  const [loader, setLoader] = useState<CoalescedLoader | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the query string stands for the filters.
  useEffect(() => {
    if (query === '') {
      setLoader(null);
      return;
    }
    const created = createCoalescedLoader({
      load: () => reviewApi.conversations(filters),
      onLoaded: (conversations: ConversationSummary[]) => setResult({ query, conversations }),
      onError: reportError,
    });
    setLoader(created);
    created.restart();
    return () => created.dispose();
  }, [query, reportError]);

  useLiveEvent((event) => {
    if (RELOAD_ON.has(event.type) || event.type.startsWith('conversation-')) loader?.request();
  });
  if (query === '') return null;
  return result?.query === query ? result.conversations : null;
}
