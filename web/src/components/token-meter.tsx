import { formatCount, formatTokens } from '../lib/format.ts';
import { HUMAN } from '../lib/model-choice.ts';
import type { PreviewState } from '../state/use-preview.ts';
import { latestPreview } from '../state/use-preview.ts';

/**
 * The request's size against the model's window, from the server's preview (the exact request, counted
 * exactly for OpenAI models, estimated elsewhere and labelled so).
 */
export function TokenMeter(props: {
  state: PreviewState;
  /** The stored counts of the checked messages: what the meter says when there is no request to count. */
  includedTokens: number;
  includedCount: number;
  totalCount: number;
  onOpenPreview: () => void;
}) {
  const preview = latestPreview(props.state);
  const messages = `in ${formatCount(props.includedCount)} of ${formatCount(props.totalCount)} messages`;
  const previewButton = (
    <button type="button" className="link-button" onClick={props.onOpenPreview}>
      Preview request
    </button>
  );

  if (preview === null) {
    const reason =
      props.state.status === 'unavailable'
        ? props.state.code === 'no_model'
          ? 'no model connected'
          : props.state.message
        : 'counting…';
    return (
      <div className="token-meter">
        <span className="token-meter__text">
          Context: {formatTokens(props.includedTokens)} {messages} · {reason}
        </span>
        {props.state.status === 'unavailable' && props.state.code === 'no_model' ? null : previewButton}
      </div>
    );
  }

  const { tokens, budget } = preview;
  if (preview.provider === HUMAN) {
    // No model, so no window to measure against: only the size of what would be sent.
    return (
      <div className="token-meter">
        <span className="token-meter__text" title={`Counted by ${tokens.method}`}>
          {formatCount(tokens.tokens)} tokens{tokens.exact ? '' : ' (estimate)'} {messages} · no model
          connected
        </span>
        {previewButton}
      </div>
    );
  }
  const window = budget.contextWindow;
  const share = window > 0 ? tokens.tokens / window : 0;
  const level = !budget.fits || share > 0.9 ? 'is-full' : share > 0.7 ? 'is-high' : '';
  return (
    <div className={`token-meter ${level} ${props.state.status === 'loading' ? 'is-stale' : ''}`}>
      <meter
        className="token-meter__bar"
        min={0}
        max={Math.max(window, 1)}
        low={window * 0.7}
        high={window * 0.9}
        optimum={0}
        value={Math.min(tokens.tokens, window)}
        aria-label="Context used"
      />
      <span className="token-meter__text" title={`Counted by ${tokens.method}`}>
        {formatCount(tokens.tokens)} / {formatCount(window)} tokens
        {tokens.exact ? '' : ' (estimate)'} {messages}
      </span>
      {budget.fits ? null : (
        <span className="token-meter__warning" role="alert">
          {budget.message ?? 'Too long for the model’s window.'}
        </span>
      )}
      {previewButton}
    </div>
  );
}
