/** The conversation's outcome (issue 9 item 1): solved, failed or abandoned, one for everyone; shown in the bar. */
import { OUTCOMES } from '../../../src/core/api/review-schemas.ts';
import { type Outcome, reviewApi } from '../api/review-api.ts';
import { useTargetLabels } from '../state/review-context.tsx';
import { useToasts } from '../state/toasts.tsx';
import '../styles/review.css';

export function OutcomeControl(props: { conversationId: string }) {
  const labels = useTargetLabels('conversation', props.conversationId);
  const { reportError } = useToasts();
  if (labels === null) return null;
  const current = labels.outcome?.value ?? '';
  return (
    <label className="outcome-control" data-outcome={current || 'none'}>
      <span className="conversation-bar__label">Outcome</span>{' '}
      <select
        value={current}
        onChange={(event) => {
          const value = event.target.value === '' ? null : (event.target.value as Outcome);
          reviewApi.outcome(props.conversationId, value).then(labels.apply, reportError);
        }}
      >
        <option value="">not set</option>
        {OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome}
          </option>
        ))}
      </select>
    </label>
  );
}
