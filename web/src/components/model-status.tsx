import { useEffect, useState } from 'react';
import type { Message } from '../api/client.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { useMessageActions } from '../state/message-actions.ts';
import type { MessageDraft } from '../state/model-stream-store.ts';
import { useCallError } from '../state/use-call-error.ts';

/** A model answer's state when it is not simply complete: streaming (Stop), stopped or failed (Retry). */
export function ModelStatus(props: { message: Message; draft: MessageDraft | undefined }) {
  const { message, draft } = props;
  const actions = useMessageActions();
  const error = useCallError(message);

  if (message.status === 'streaming') {
    return (
      <div className="model-status model-status--streaming">
        <span className="badge badge--streaming" role="status">
          {draft?.retrying ? 'rate limited' : 'streaming…'}
        </span>
        {draft?.retrying ? (
          <RetryWait seconds={draft.retrying.seconds} message={draft.retrying.message} />
        ) : null}
        {message.modelCallId !== null ? (
          <button
            type="button"
            className="button button--small button--danger"
            title="Stop the model; what arrived is kept (Esc when no text field has the cursor)"
            aria-keyshortcuts={ariaKeyShortcuts('stop-turn')}
            onClick={() => actions.stop(message)}
          >
            ■ Stop
          </button>
        ) : null}
      </div>
    );
  }
  if (message.status === 'stopped') {
    return (
      <div className="model-status">
        <span className="badge badge--stopped">stopped</span>
        <span className="model-status__text muted">Stopped by you; what arrived is kept.</span>
        <button type="button" className="button button--small" onClick={() => actions.regenerate(message)}>
          Retry
        </button>
      </div>
    );
  }
  if (message.status === 'error') {
    return (
      <div className="model-status model-status--error" role="alert">
        <span className="badge badge--error">error</span>
        <span className="model-status__text">{error ?? 'The model call failed; what arrived is kept.'}</span>
        <button type="button" className="button button--small" onClick={() => actions.regenerate(message)}>
          Retry
        </button>
      </div>
    );
  }
  return null;
}

/** "waiting 3s: …", counting down: the provider asked us to wait (HTTP 429 with Retry-After). */
function RetryWait(props: { seconds: number; message: string }) {
  const [left, setLeft] = useState(Math.ceil(props.seconds));
  useEffect(() => {
    const until = Date.now() + props.seconds * 1000;
    setLeft(Math.ceil(props.seconds));
    const timer = setInterval(() => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000))), 250);
    return () => clearInterval(timer);
  }, [props.seconds]);
  return (
    <span className="model-status__text">
      waiting {left}s: {props.message}
    </span>
  );
}
