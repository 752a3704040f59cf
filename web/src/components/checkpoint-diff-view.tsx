import { useEffect, useState } from 'react';
import { type CheckpointDiff, workspaceApi } from '../api/workspace-api.ts';
import { useToasts } from '../state/toasts.tsx';
import { DiffFilesView } from './diff-files-view.tsx';

/** The inspector's view of what one step changed in the workspace (issue 8 item 3). */
export function CheckpointDiffView(props: { checkpointId: string; step: string }) {
  const toasts = useToasts();
  const [diff, setDiff] = useState<CheckpointDiff | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    setDiff(null);
    setFailed(false);
    workspaceApi.checkpointDiff(props.checkpointId).then(
      (value) => {
        if (current) setDiff(value);
      },
      (error: unknown) => {
        if (!current) return;
        setFailed(true);
        toasts.reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [props.checkpointId, toasts]);

  return (
    <>
      <p className="inspector__subject">
        What <code>{props.step}</code> changed in the workspace
      </p>
      {diff !== null ? (
        <DiffFilesView files={diff.files} diff={diff.diff} truncated={diff.truncated} />
      ) : failed ? (
        <p className="muted">The diff could not be loaded.</p>
      ) : (
        <p className="muted">Loading the diff…</p>
      )}
    </>
  );
}
