import { useDirectRuns } from '../state/terminal-context.tsx';
import { ExecutionView } from './execution-view.tsx';

/**
 * Commands the person runs from the composer, while they run: their output streams here, and becomes a
 * terminal message in the conversation when the command ends.
 */
export function DirectRuns() {
  const runs = useDirectRuns();
  if (runs.length === 0) return null;
  return (
    <section className="direct-runs" aria-label="Running commands">
      {runs.map((run) => (
        <section key={run.id} className="direct-run" aria-label={`Running ${run.commandRun}`}>
          <pre className="proposal-card__ran">
            <span className="proposal-card__prompt" aria-hidden="true">
              ${' '}
            </span>
            {run.commandRun}
          </pre>
          <ExecutionView execution={run} />
        </section>
      ))}
    </section>
  );
}
