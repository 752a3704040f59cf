import type { Revision } from '../api/client.ts';
import { formatDateTime } from '../lib/format.ts';
import { WordDiffView } from './word-diff-view.tsx';

/** One revision of a message, as a word diff against the revision before it. */
export function RevisionDiff(props: { revisions: Revision[]; number: number }) {
  const revision = props.revisions.find((candidate) => candidate.number === props.number);
  const previous = props.revisions.find((candidate) => candidate.number === props.number - 1);
  if (revision === undefined) return <p className="muted">Loading revision {props.number}…</p>;
  return (
    <div className="revision-diff">
      <p className="revision-diff__caption">
        Revision {revision.number} by {revision.editor}, {formatDateTime(revision.createdAt)}
        {previous === undefined ? ' (the original text)' : `, changes from revision ${previous.number}`}
      </p>
      {previous === undefined ? (
        <pre className="word-diff word-diff__text">{revision.content}</pre>
      ) : (
        <WordDiffView before={previous.content} after={revision.content} />
      )}
    </div>
  );
}
