/**
 * "Conversations that contain the selected messages" (issue 9 item 1): the selection bar asks, the sidebar's
 * filters answer. A tiny store between the two, which live in different branches of the page.
 */
import { useSyncExternalStore } from 'react';

let containing: readonly string[] = [];
const listeners = new Set<() => void>();

export function requestContaining(messageIds: readonly string[]): void {
  containing = [...messageIds];
  for (const listener of listeners) listener();
}

export function useContainingRequest(): readonly string[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => containing,
  );
}
