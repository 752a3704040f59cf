import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import type { Conversation } from '../api/client.ts';
import { modelApi, type Preview } from '../api/model-api.ts';

export type PreviewState =
  | { status: 'idle' }
  | { status: 'loading'; previous: Preview | null }
  | { status: 'ready'; preview: Preview }
  /** No model connected, a bad setting, a provider that does not answer: said in the server's words. */
  | { status: 'unavailable'; code: string; message: string };

/** Typing in the composer or toggling a checkbox fires this often; one request after a pause is enough. */
const DEBOUNCE_MS = 350;

/**
 * What would be sent to the model now (GET /preview): refreshed, debounced, whenever something that goes
 * into the request changes (messages on the path, their inclusion and text, the model settings). Without a
 * model (provider `human`) the server still counts what a model would get, as an estimate.
 */
export function usePreview(conversation: Conversation | null): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const signature = useMemo(() => {
    if (conversation === null) return null;
    const messages = conversation.messages
      .map(
        (message) =>
          `${message.id}:${message.revision}:${message.included}:${message.deleted}:${message.status}`,
      )
      .join(',');
    return `${conversation.id}|${JSON.stringify(conversation.settings)}|${messages}`;
  }, [conversation]);
  const conversationId = conversation?.id ?? null;
  /** The conversation the shown preview belongs to: another one's numbers must not stand in while loading. */
  const shownFor = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` is the refresh trigger.
  useEffect(() => {
    if (conversationId === null) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    const same = shownFor.current === conversationId;
    setState((previous) => ({
      status: 'loading',
      previous: !same
        ? null
        : previous.status === 'ready'
          ? previous.preview
          : previous.status === 'loading'
            ? previous.previous
            : null,
    }));
    const timer = setTimeout(
      () => {
        modelApi.preview(conversationId).then(
          (preview) => {
            if (!current) return;
            shownFor.current = conversationId;
            setState({ status: 'ready', preview });
          },
          (error: unknown) => {
            if (!current) return;
            const code = error instanceof ApiRequestError ? error.code : 'error';
            setState({
              status: 'unavailable',
              code,
              message: error instanceof Error ? error.message : String(error),
            });
          },
        );
        // A conversation just opened gets its count at once; edits to it wait for a pause.
      },
      same ? DEBOUNCE_MS : 0,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [conversationId, signature]);

  return state;
}

export function latestPreview(state: PreviewState): Preview | null {
  if (state.status === 'ready') return state.preview;
  if (state.status === 'loading') return state.previous;
  return null;
}
