import { formatCount } from '../lib/format.ts';
import type { PreviewState } from '../state/use-preview.ts';
import { latestPreview } from '../state/use-preview.ts';
import { JsonBlock } from './json-block.tsx';

/** What would be sent to the model now: the provider-native request, its size and the output budget. */
export function PreviewView(props: { state: PreviewState }) {
  const { state } = props;
  if (state.status === 'unavailable') {
    return (
      <p className="inspector__error" role="status">
        {state.message}
      </p>
    );
  }
  const preview = latestPreview(state);
  if (preview === null) return <p className="muted">Assembling the request…</p>;
  const { tokens, budget } = preview;
  return (
    <div
      className={`preview${state.status === 'loading' ? ' is-stale' : ''}`}
      aria-busy={state.status === 'loading'}
    >
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{preview.provider}</dd>
        <dt>Model</dt>
        <dd>{preview.model}</dd>
        <dt>Input</dt>
        <dd data-testid="preview-tokens">
          {formatCount(tokens.tokens)} tokens {tokens.exact ? '(exact)' : '(estimate)'}{' '}
          <span className="muted">by {tokens.method}</span>
        </dd>
        <dt>Window</dt>
        <dd>
          {formatCount(budget.contextWindow)} tokens
          <span className="muted"> ({preview.capabilities.source})</span>
        </dd>
        <dt>Output room</dt>
        <dd>
          {formatCount(budget.available)} tokens
          {budget.maxOutputTokens != null
            ? `, asking for at most ${formatCount(budget.maxOutputTokens)}`
            : ''}
        </dd>
        <dt>Tools</dt>
        <dd>
          {preview.capabilities.tools
            ? 'offered (run_command)'
            : 'not supported: commands come from shell blocks'}
        </dd>
      </dl>
      {budget.fits ? null : (
        <p className="inspector__error" role="alert">
          {budget.message ?? 'This request does not fit the model’s window.'}
        </p>
      )}
      <JsonBlock value={preview.request} label="Request preview JSON" />
    </div>
  );
}
