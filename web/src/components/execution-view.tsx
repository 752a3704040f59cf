import { LIMIT_DESCRIPTIONS } from '../../../src/core/resource-limits.ts';
import type { Execution } from '../api/terminal-api.ts';
import { formatDuration } from '../lib/format-duration.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { LIMIT_FIELDS } from '../lib/limits-draft.ts';
import { useLiveOutput, useTerminalActions } from '../state/terminal-context.tsx';
import { useShortcutScope } from '../state/use-keyboard-shortcuts.ts';
import { StepCheckpoint } from './step-checkpoint.tsx';
import { TerminalOutput } from './terminal-output.tsx';

const FILE_ACTION_ENDINGS: Record<Execution['status'], string> = {
  queued: 'waiting',
  running: 'applying',
  completed: 'applied',
  failed: 'not applied',
  'timed-out': 'timed out',
  interrupted: 'interrupted',
  cancelled: 'cancelled',
};

/**
 * One run of a command: its output (live while it runs), how it ended, and Interrupt while it runs or waits
 * its turn (a queued command is cancelled and never runs).
 */
export function ExecutionView(props: { execution: Execution }) {
  const { execution } = props;
  const actions = useTerminalActions();
  const running = execution.endedAt === null;
  const queued = execution.status === 'queued';
  const live = useLiveOutput(running ? execution.id : null);
  const text = live?.text ?? execution.output;
  const hit = execution.limitHit;
  const limit = hit === null ? null : LIMIT_DESCRIPTIONS[hit.limit];
  const limitField = LIMIT_FIELDS.find((field) => field.key === limit?.setting);
  // A file action (issue 8) has no exit code: it was applied, or it failed and its output says why.
  const fileAction = execution.actionRun !== null;
  // `.` interrupts this run when the focus is on its card, else the first running one on the page (issue 11).
  const scope = useShortcutScope<HTMLDivElement>(
    { 'interrupt-command': () => (running ? actions.interrupt(execution.id) : false) },
    { anywhere: running ? ['interrupt-command'] : [] },
  );

  return (
    <div className="execution" ref={scope.ref}>
      {queued || execution.status === 'cancelled' ? null : (
        <TerminalOutput text={text} live={running} label={`Output of ${execution.commandRun}`} />
      )}
      {hit === null || limit === null ? null : (
        // Named in words beside the output: the output alone shows a command cut short, not why (issue 7 item 6).
        <p className="execution__limit" data-testid="limit-hit">
          <strong>Stopped by a limit:</strong> the sandbox's {limit.words} ({hit.value}) was reached.{' '}
          {limit.setting === null
            ? 'Make room on the disk that holds the workspace.'
            : limitField === undefined
              ? 'Limits are set under Model ▾ › Sandbox limits.'
              : `Raise “${limitField.label}” under Model ▾ › Sandbox limits.`}
        </p>
      )}
      <div className="execution__facts">
        {running ? (
          <>
            <span className="execution__running" role="status">
              {queued ? 'queued: waits for the command before it to end' : `running in ${execution.sandbox}…`}
            </span>
            <button
              type="button"
              className="button button--small button--danger"
              title={`${queued ? 'Cancel it' : 'Interrupt it'} (. when no text field has the cursor)`}
              aria-keyshortcuts={ariaKeyShortcuts('interrupt-command')}
              onClick={() => actions.interrupt(execution.id)}
            >
              {queued ? 'Cancel' : 'Interrupt'}
            </button>
          </>
        ) : execution.status === 'cancelled' ? (
          <span className="execution__exit">cancelled before it started: it did not run</span>
        ) : (
          <>
            <span
              className={`execution__exit${execution.exitCode === 0 || (fileAction && execution.status === 'completed') ? '' : ' is-failure'}`}
            >
              {fileAction
                ? execution.actionRun?.tool === 'read_file' && execution.status === 'completed'
                  ? 'read'
                  : FILE_ACTION_ENDINGS[execution.status]
                : execution.status === 'timed-out'
                  ? 'timed out'
                  : execution.status === 'interrupted'
                    ? 'interrupted'
                    : `exit code ${execution.exitCode ?? '?'}`}
            </span>
            {execution.durationMs !== null ? <span>{formatDuration(execution.durationMs)}</span> : null}
            {fileAction ? null : <span className="muted">{execution.sandbox}</span>}
          </>
        )}
        {live?.cut ? (
          <span className="execution__cut">showing the end; the start scrolled out of the live view</span>
        ) : null}
        {!running && execution.outputTruncated ? (
          <span
            className="execution__cut"
            title="The stored output keeps the start and the end of very long output"
          >
            output cut: too long to keep whole
          </span>
        ) : null}
      </div>
      {running ? null : (
        <StepCheckpoint
          executionId={execution.id}
          label={execution.commandRun}
          isRead={execution.actionRun?.tool === 'read_file'}
        />
      )}
    </div>
  );
}
