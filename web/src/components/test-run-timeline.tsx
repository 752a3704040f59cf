import { useId } from 'react';
import { formatDateTime } from '../lib/format.ts';
import { testRunText } from '../lib/test-run-text.ts';
import { useTestRuns } from '../state/workspace-context.tsx';

/** Past this many the oldest runs leave the bar (the records stay): the bar stays one thin line. */
const SHOWN_RUNS = 60;

/**
 * The conversation's test runs along it, oldest on the left (issue 8 item 5): one dot per run, green passed and
 * red failed (a filled and a hollow dot, so the colour is not the only sign), counts in each dot's title and
 * in words for screen readers.
 */
export function TestRunTimeline() {
  const runs = useTestRuns();
  const labelId = useId();
  if (runs.length === 0) return null;
  const shown = runs.slice(-SHOWN_RUNS);
  const last = runs.at(-1);
  return (
    <div className="test-timeline">
      <span className="test-timeline__label" id={labelId}>
        Tests
      </span>
      <ol className="test-timeline__dots" aria-labelledby={labelId}>
        {shown.map((run, index) => {
          const text = `Run ${runs.length - shown.length + index + 1}: ${run.status}, ${testRunText(run)} (${formatDateTime(run.createdAt)})`;
          return (
            <li key={run.id} className={`test-timeline__dot test-timeline__dot--${run.status}`} title={text}>
              <span className="visually-hidden">{text}</span>
            </li>
          );
        })}
      </ol>
      {last === undefined ? null : (
        <span className={`test-timeline__last test-timeline__last--${last.status}`}>last: {last.status}</span>
      )}
    </div>
  );
}
