import { useEffect, useState } from 'react';
import type { Message } from '../api/client.ts';
import { type ModelCall, modelApi } from '../api/model-api.ts';
import { formatCount, formatDateTime } from '../lib/format.ts';
import { formatDuration } from '../lib/format-duration.ts';
import { JsonBlock } from './json-block.tsx';

/** The recorded model call behind a message: exactly what was sent and what came back. */
export function ModelCallView(props: { message: Message }) {
  const { message } = props;
  const [call, setCall] = useState<
    { messageId: string; call: ModelCall } | { messageId: string; error: string } | null
  >(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the status is the refetch trigger (the call is finished when the message is).
  useEffect(() => {
    let current = true;
    modelApi.callOf(message.id).then(
      (loaded) => {
        if (current) setCall({ messageId: message.id, call: loaded });
      },
      (error: unknown) => {
        if (current)
          setCall({ messageId: message.id, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [message.id, message.status]);

  if (call === null || call.messageId !== message.id) return <p className="muted">Loading the model call…</p>;
  if ('error' in call) return <p className="inspector__error">{call.error}</p>;
  const record = call.call;
  const usage = record.usage;
  return (
    <div className="model-call">
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{record.provider}</dd>
        <dt>Model</dt>
        <dd>{record.model}</dd>
        {record.baseUrl !== null ? (
          <>
            <dt>Base URL</dt>
            <dd className="facts__code">{record.baseUrl}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>
          {record.status}
          {record.finishReason !== null ? ` (${record.finishReason})` : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(record.createdAt)}</dd>
        <dt>First token</dt>
        <dd>{record.timeToFirstTokenMs === null ? '—' : formatDuration(record.timeToFirstTokenMs)}</dd>
        <dt>Duration</dt>
        <dd>{record.durationMs === null ? '—' : formatDuration(record.durationMs)}</dd>
        <dt>Usage</dt>
        <dd>
          {usage === null
            ? '—'
            : `${usage.inputTokens === null ? '?' : formatCount(usage.inputTokens)} in, ${
                usage.outputTokens === null ? '?' : formatCount(usage.outputTokens)
              } out`}
          {usage?.details !== undefined && Object.keys(usage.details).length > 0 ? (
            <span className="muted">
              {' '}
              (
              {Object.entries(usage.details)
                .map(([key, value]) => `${key} ${formatCount(value)}`)
                .join(', ')}
              )
            </span>
          ) : null}
        </dd>
      </dl>
      {record.error !== null ? (
        <p className="inspector__error" role="alert">
          {record.error}
        </p>
      ) : null}
      <details open className="inspector__section">
        <summary>Request, exactly as sent</summary>
        <JsonBlock value={record.request} label="Request JSON" />
      </details>
      <details className="inspector__section">
        <summary>Raw response{record.response === null ? ' (none)' : ''}</summary>
        {record.response !== null ? <JsonBlock value={record.response} label="Raw response" /> : null}
      </details>
      <details className="inspector__section">
        <summary>Assembled message</summary>
        <JsonBlock value={record.assembled} label="Assembled message" />
      </details>
    </div>
  );
}
