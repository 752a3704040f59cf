import { useEffect, useMemo, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import type { Conversation } from '../api/client.ts';
import { modelApi, type Preview, type ProviderList } from '../api/model-api.ts';

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
 * into the request changes (messages on the path, their inclusion and text, the model settings). Not asked
 * when no model answers this conversation (provider `human`): the server would only refuse, and the page
 * already knows why from the provider list.
 */
export function usePreview(conversation: Conversation | null, providers: ProviderList | null): PreviewState {
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
  const chosen = conversation?.settings.provider ?? providers?.defaults.provider ?? null;
  const banner = providers?.banner ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` is the refresh trigger.
  useEffect(() => {
    if (conversationId === null) {
      setState({ status: 'idle' });
      return;
    }
    if (chosen === 'human') {
      setState({
        status: 'unavailable',
        code: 'no_model',
        message:
          banner ?? 'This conversation has no model (provider “human”): you write the assistant’s turns.',
      });
      return;
    }
    let current = true;
    setState((previous) => ({
      status: 'loading',
      previous:
        previous.status === 'ready'
          ? previous.preview
          : previous.status === 'loading'
            ? previous.previous
            : null,
    }));
    // Until the provider list names the default, nobody can tell whether a model answers at all.
    if (chosen === null) return;
    const timer = setTimeout(() => {
      modelApi.preview(conversationId).then(
        (preview) => {
          if (current) setState({ status: 'ready', preview });
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
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [conversationId, signature, chosen, banner]);

  return state;
}

export function latestPreview(state: PreviewState): Preview | null {
  if (state.status === 'ready') return state.preview;
  if (state.status === 'loading') return state.previous;
  return null;
}
