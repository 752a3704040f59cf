import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { KeyHint } from './shortcut-help.tsx';

/** Opens the reason field of a waiting proposal (n on the card). */
export function RejectButton(props: { what: string; busy: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className="button button--small"
      disabled={props.busy}
      title={`Reject ${props.what}, with a reason for the model (n)`}
      aria-keyshortcuts={ariaKeyShortcuts('reject-proposal')}
      onClick={props.onClick}
    >
      Reject… <KeyHint label="n" />
    </button>
  );
}

/**
 * The reason a person gives when rejecting a proposal (a command or a file action): Enter rejects, Escape
 * cancels. The model reads the reason as the answer to its call.
 */
export function RejectReasonForm(props: {
  id: string;
  reason: string;
  busy: boolean;
  onReasonChange: (reason: string) => void;
  onReject: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="proposal-card__reject">
      <label htmlFor={props.id} className="visually-hidden">
        Reason for rejecting
      </label>
      <input
        id={props.id}
        value={props.reason}
        placeholder="Why (optional; the model reads it)"
        // biome-ignore lint/a11y/noAutofocus: the person just asked to write a reason.
        autoFocus
        onChange={(event) => props.onReasonChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            props.onReject();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            props.onCancel();
          }
        }}
      />
      <button
        type="button"
        className="button button--small button--danger"
        disabled={props.busy}
        onClick={props.onReject}
      >
        Reject
      </button>
      <button type="button" className="button button--small" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
