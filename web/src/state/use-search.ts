import { useEffect, useState } from 'react';
import { api, type SearchResult } from '../api/client.ts';
import { useToasts } from './toasts.tsx';

/** Waits for a pause in typing before asking the server. */
const SEARCH_DELAY_MS = 200;

export function useSearch(query: string): { result: SearchResult | null; searching: boolean } {
  const { reportError } = useToasts();
  const [answer, setAnswer] = useState<{ query: string; result: SearchResult } | null>(null);
  const trimmed = query.trim();
  useEffect(() => {
    if (trimmed === '') return;
    let current = true;
    const timer = setTimeout(() => {
      api.search(trimmed).then(
        (result) => {
          if (current) setAnswer({ query: trimmed, result });
        },
        (error: unknown) => {
          if (current) reportError(error);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [trimmed, reportError]);
  if (trimmed === '') return { result: null, searching: false };
  return { result: answer?.result ?? null, searching: answer?.query !== trimmed };
}
