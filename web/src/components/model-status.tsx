import type { Message } from '../api/client.ts';
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
          {draft?.retrying ? 'waiting' : 'streaming…'}
        </span>
        {draft?.retrying ? (
          <span className="model-status__text" role="status">
            waiting {Math.ceil(draft.retrying.seconds)}s: {draft.retrying.message}
          </span>
        ) : null}
        {message.modelCallId !== null ? (
          <button
            type="button"
            className="button button--small button--danger"
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
