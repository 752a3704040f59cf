import { useState } from 'react';
import type { Execution } from '../api/terminal-api.ts';
import { testRunText } from '../lib/test-run-text.ts';
import { useStepCheckpoint, useTestRunOf, useWorkspaceActions } from '../state/workspace-context.tsx';

/**
 * Under a step that ran (a command or a file action): the test badge when it was a run of the test command,
 * and, once the workspace was snapshotted after it, its diff and a restore to before it (issue 8 items 3, 5).
 */
export function StepCheckpoint(props: { execution: Execution }) {
  const { execution } = props;
  const taken = useStepCheckpoint(execution.id);
  // A read changes nothing: restoring to before it is what the step before it offers already.
  const checkpoint = execution.actionRun?.tool === 'read_file' ? undefined : taken;
  const testRun = useTestRunOf(execution.id);
  const actions = useWorkspaceActions();
  const [busy, setBusy] = useState(false);
  if (checkpoint === undefined && testRun === undefined) return null;

  const restore = async () => {
    if (checkpoint === undefined) return;
    const confirmed = window.confirm(
      'Restore the workspace’s files to how they were before this step? Every change to them since then is undone (the restore itself can be undone right after).',
    );
    if (!confirmed) return;
    setBusy(true);
    await actions.restoreBefore(checkpoint);
    setBusy(false);
  };

  return (
    <div className="step-checkpoint">
      {testRun === undefined ? null : (
        <span
          className={`badge test-run-badge test-run-badge--${testRun.status}`}
          title={
            testRun.runner === null
              ? 'No runner summary recognised'
              : `Counted from ${testRun.runner}’s summary`
          }
        >
          {testRunText(testRun)}
        </span>
      )}
      {checkpoint === undefined ? null : (
        <>
          <span className="muted step-checkpoint__counts">
            {checkpoint.changedFiles === 0
              ? 'no file changed'
              : `${checkpoint.changedFiles} ${checkpoint.changedFiles === 1 ? 'file' : 'files'} changed, +${checkpoint.insertions} −${checkpoint.deletions}`}
          </span>
          {checkpoint.changedFiles === 0 ? null : (
            <button
              type="button"
              className="button button--small"
              title={`What ${execution.commandRun} changed, file by file`}
              onClick={() => actions.showDiff(checkpoint, execution.commandRun)}
            >
              Diff
            </button>
          )}
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => void restore()}
          >
            Restore to before this step
          </button>
        </>
      )}
    </div>
  );
}
