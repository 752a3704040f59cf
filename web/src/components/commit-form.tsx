import { type FormEvent, useEffect, useId, useState } from 'react';
import { workspaceApi } from '../api/workspace-api.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/**
 * Commits the work to the workspace's own git repository (issue 8 item 3): the model drafts the message from
 * the diff, the person edits it, then commits. A workspace that is no git repository is refused by the server,
 * and its reason shows here.
 */
export function CommitForm(props: { conversationId: string; onClose: () => void }) {
  const id = useId();
  const [message, setMessage] = useState('');
  const [drafting, setDrafting] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    workspaceApi.draftCommitMessage(props.conversationId).then(
      (draft) => {
        if (!current) return;
        // The person may have started writing while the model drafted: their words win.
        setMessage((typed) => (typed.trim() === '' ? draft.message : typed));
        setDrafting(false);
      },
      (error: unknown) => {
        if (!current) return;
        setDrafting(false);
        setProblem(`No draft: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return () => {
      current = false;
    };
  }, [props.conversationId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (message.trim() === '') return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await workspaceApi.commit(props.conversationId, message.trim());
      setDone(`Committed ${result.commit.slice(0, 12)}: ${result.summary}`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  if (done !== null) {
    return (
      <div className="commit-form">
        <p role="status">{done}</p>
        <button type="button" className="button button--small" onClick={props.onClose}>
          Close
        </button>
      </div>
    );
  }
  return (
    <form className="commit-form" aria-label="Commit the work" onSubmit={(event) => void submit(event)}>
      <label htmlFor={id}>Commit message</label>
      <AutoSizeTextarea
        id={id}
        className="commit-form__message"
        value={message}
        maxRows={14}
        rows={4}
        placeholder={drafting ? 'The model is drafting a message…' : 'What this work does, and why'}
        onChange={(event) => setMessage(event.target.value)}
      />
      {drafting ? (
        <p className="muted" role="status">
          The model is drafting a message from the changes…
        </p>
      ) : null}
      {problem === null ? null : (
        <p className="workspace-panel__error" role="alert">
          {problem}
        </p>
      )}
      <div className="commit-form__buttons">
        <button
          type="submit"
          className="button button--small button--primary"
          disabled={busy || message.trim() === ''}
        >
          Commit
        </button>
        <button type="button" className="button button--small" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
