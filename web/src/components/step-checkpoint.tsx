import { useState } from 'react';
import { testRunText } from '../lib/test-run-text.ts';
import {
  useStepCheckpoint,
  useStepCheckpointOfMessage,
  useTestRunOf,
  useWorkspaceActions,
} from '../state/workspace-context.tsx';

/**
 * Under a step that ran (a command or a file action): the test badge when it was a run of the test command,
 * and, once the workspace was snapshotted after it, its diff and a restore to before it (issue 8 items 3, 5).
 */
export function StepCheckpoint(props: {
  executionId: string;
  /** What the step was, as a person reads it (the command, or the action's summary). */
  label: string;
  /** A read changes nothing: restoring to before it is what the step before it offers already. */
  isRead?: boolean;
}) {
  const { executionId, label } = props;
  const taken = useStepCheckpoint(executionId);
  const checkpoint = props.isRead === true ? undefined : taken;
  const testRun = useTestRunOf(executionId);
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
              title={`What ${label} changed, file by file`}
              onClick={() => actions.showDiff(checkpoint, label)}
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

/** A step the person ran directly: its Diff and Restore under the message that reports it. */
export function MessageStepCheckpoint(props: { messageId: string; label: string }) {
  const checkpoint = useStepCheckpointOfMessage(props.messageId);
  if (checkpoint?.executionId == null) return null;
  return <StepCheckpoint executionId={checkpoint.executionId} label={props.label} />;
}
