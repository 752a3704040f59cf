/**
 * Every model call of a conversation (issue 9 item 1), those that produced no message included (a failed or
 * stopped call, one the legacy importer kept): the inspector lists them beside the one it shows.
 */
import { useEffect, useState } from 'react';
import { type ModelCallListItem, reviewApi } from '../api/review-api.ts';
import { formatDateTime } from '../lib/format.ts';
import { useToasts } from '../state/toasts.tsx';
import '../styles/review.css';

export function ModelCallList(props: { conversationId: string; currentCallId: string | null }) {
  const { reportError } = useToasts();
  const [calls, setCalls] = useState<ModelCallListItem[] | null>(null);
  useEffect(() => {
    let current = true;
    reviewApi.modelCalls(props.conversationId).then(
      (loaded) => current && setCalls(loaded),
      (error: unknown) => current && reportError(error),
    );
    return () => {
      current = false;
    };
  }, [props.conversationId, reportError]);
  if (calls === null) return <p className="muted">Loading model calls…</p>;
  return (
    <section className="model-call-list" aria-label="Every call of this conversation">
      <h3 className="model-call-list__title">Every call of this conversation ({calls.length})</h3>
      <ol>
        {calls.map((call) => (
          <li
            key={call.id}
            className="model-call-list__item"
            aria-current={call.id === props.currentCallId ? 'true' : undefined}
          >
            <time dateTime={call.createdAt}>{formatDateTime(call.createdAt)}</time> {call.provider} ·{' '}
            {call.model} · {call.status}
            {call.inputTokens !== null ? ` · ${call.inputTokens}→${call.outputTokens ?? '?'} tokens` : ''}
            {call.messageId === null ? <span className="model-call-list__orphan"> · no message</span> : null}
            {call.error ? <span className="model-call-list__error"> · {call.error}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
