import { useEffect, useState } from 'react';
import { api, type Revision } from '../api/client.ts';
import { useToasts } from './toasts.tsx';

/**
 * A message's revisions, oldest first, fetched while `messageId` is set and again whenever `version` or the
 * message's current revision number changes (another tab may have added one).
 */
export function useRevisions(messageId: string | null, version: number, revision: number): Revision[] | null {
  const { reportError } = useToasts();
  const [revisions, setRevisions] = useState<{ messageId: string; list: Revision[] } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and revision are refetch triggers, not inputs.
  useEffect(() => {
    if (messageId === null) return;
    let current = true;
    api.listRevisions(messageId).then(
      (list) => {
        if (current) setRevisions({ messageId, list: list.toSorted((a, b) => a.number - b.number) });
      },
      (error: unknown) => {
        if (current) reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [messageId, version, revision, reportError]);
  return revisions !== null && revisions.messageId === messageId ? revisions.list : null;
}
