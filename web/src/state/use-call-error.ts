import { useEffect, useState } from 'react';
import type { Message } from '../api/client.ts';
import { modelApi } from '../api/model-api.ts';
import { useCallOutcome } from './model-stream-context.tsx';

/**
 * Why a model answer ended in error: heard live (model-call-ended), else read from its recorded call, so a
 * page opened later still says what went wrong.
 */
export function useCallError(message: Message): string | null {
  const outcome = useCallOutcome(message.id);
  const [fetched, setFetched] = useState<{ messageId: string; error: string | null } | null>(null);
  const needsFetch = message.status === 'error' && message.modelCallId !== null && outcome === undefined;
  useEffect(() => {
    if (!needsFetch) return;
    let current = true;
    modelApi.callOf(message.id).then(
      (call) => {
        if (current) setFetched({ messageId: message.id, error: call.error });
      },
      () => {
        if (current) setFetched({ messageId: message.id, error: null });
      },
    );
    return () => {
      current = false;
    };
  }, [needsFetch, message.id]);
  if (message.status !== 'error') return null;
  if (outcome !== undefined) return outcome.error;
  return fetched?.messageId === message.id ? fetched.error : null;
}
