import { useEffect, useState } from 'react';
import { type WorkspaceChanges as Changes, workspaceApi } from '../api/workspace-api.ts';
import { CommitForm } from './commit-form.tsx';
import { DiffFilesView } from './diff-files-view.tsx';

/** Everything that differs from the conversation's first checkpoint, file by file, and committing it. */
export function WorkspaceChanges(props: { conversationId: string; filesVersion: number }) {
  const { conversationId, filesVersion } = props;
  const [changes, setChanges] = useState<Changes | { error: string } | null>(null);
  const [committing, setCommitting] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `filesVersion` is the refetch trigger.
  useEffect(() => {
    let current = true;
    workspaceApi.changes(conversationId).then(
      (value) => {
        if (current) setChanges(value);
      },
      (error: unknown) => {
        if (current) setChanges({ error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, filesVersion]);

  if (changes === null) return <p className="muted">Loading the changes…</p>;
  if ('error' in changes) return <p className="workspace-panel__error">{changes.error}</p>;
  return (
    <div className="workspace-changes">
      <div className="workspace-changes__bar">
        <p className="workspace-changes__summary">
          {changes.from === null
            ? 'No checkpoint yet: changes are counted from the first step of this conversation.'
            : `${changes.files.length} ${changes.files.length === 1 ? 'file differs' : 'files differ'} from the first checkpoint.`}
        </p>
        {committing || !changes.gitRepository ? null : (
          <button type="button" className="button button--small" onClick={() => setCommitting(true)}>
            Commit…
          </button>
        )}
      </div>
      {committing ? (
        <CommitForm conversationId={conversationId} onClose={() => setCommitting(false)} />
      ) : null}
      {changes.from === null ? null : (
        <DiffFilesView files={changes.files} diff={changes.diff} truncated={changes.truncated} />
      )}
    </div>
  );
}
