/**
 * Rate, tag and annotate a model message or a proposal (issue 9 item 1). One click rates (good or bad; the
 * pressed one again removes the rating), a reason can follow; tags show as chips anyone may remove; a note is
 * the person's own. Each change is stored at once and shown from the server's answer.
 */
import { type FormEvent, useState } from 'react';
import type { LabelChange } from '../../../src/core/api/review-schemas.ts';
import { type LabelTarget, type Rating, reviewApi } from '../api/review-api.ts';
import { useTargetLabels } from '../state/review-context.tsx';
import { useToasts } from '../state/toasts.tsx';
import '../styles/review.css';

type Editing = 'reason' | 'tag' | 'note' | null;

export function ReviewControls(props: { target: LabelTarget; label: string }) {
  const { target } = props;
  const labels = useTargetLabels(target.kind, target.id);
  const { reportError } = useToasts();
  const [editing, setEditing] = useState<Editing>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  if (labels === null) return null;

  const run = async (change: () => Promise<LabelChange>) => {
    setBusy(true);
    try {
      labels.apply(await change());
      return true;
    } catch (error) {
      reportError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const rate = (value: Rating) => {
    const again = labels.rating?.value === value;
    void run(() => (again ? reviewApi.unrate(target) : reviewApi.rate(target, value, null))).then((done) => {
      if (done && !again && value === 'bad') open('reason', '');
    });
  };
  const open = (what: Editing, initial: string) => {
    setText(initial);
    setEditing(what);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    const done =
      editing === 'tag'
        ? value === '' || (await run(() => reviewApi.tag(target, value)))
        : editing === 'note'
          ? await run(() => reviewApi.note(target, text))
          : labels.rating === null ||
            (await run(() => reviewApi.rate(target, labels.rating!.value as Rating, value)));
    if (done) setEditing(null);
  };
  const others = labels.otherRatings;

  return (
    <fieldset className="review" aria-label={`Review of this ${props.label}`}>
      <button
        type="button"
        className="button button--small review__rate review__rate--good"
        aria-pressed={labels.rating?.value === 'good'}
        disabled={busy}
        title="Rate it good (click again to remove your rating)"
        onClick={() => rate('good')}
      >
        <span aria-hidden="true">✓ </span>Good
      </button>
      <button
        type="button"
        className="button button--small review__rate review__rate--bad"
        aria-pressed={labels.rating?.value === 'bad'}
        disabled={busy}
        title="Rate it bad, then say why if you like (click again to remove your rating)"
        onClick={() => rate('bad')}
      >
        <span aria-hidden="true">✗ </span>Bad
      </button>
      {labels.rating?.reason ? (
        <button
          type="button"
          className="review__reason"
          title="Change the reason"
          onClick={() => open('reason', labels.rating?.reason ?? '')}
        >
          “{labels.rating.reason}”
        </button>
      ) : labels.rating !== null && editing !== 'reason' ? (
        <button
          type="button"
          className="button button--small button--ghost"
          onClick={() => open('reason', '')}
        >
          Reason…
        </button>
      ) : null}
      {others.length > 0 ? (
        <span className="review__others" title="Ratings by others">
          others: {others.filter((label) => label.value === 'good').length} good,{' '}
          {others.filter((label) => label.value === 'bad').length} bad
        </span>
      ) : null}
      <ul className="review__tags" aria-label="Tags">
        {labels.tags.map((tag) => (
          <li key={tag.id} className="review__tag">
            #{tag.value}
            <button
              type="button"
              className="review__untag"
              aria-label={`Remove tag ${tag.value}`}
              disabled={busy}
              onClick={() => void run(() => reviewApi.untag(target, tag.value))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button--small button--ghost" onClick={() => open('tag', '')}>
        + Tag
      </button>
      <button
        type="button"
        className="button button--small button--ghost"
        aria-label={labels.note === null ? 'Add a note' : 'Edit your note'}
        onClick={() => open('note', labels.note?.value ?? '')}
      >
        {labels.note === null ? 'Note…' : 'Edit note'}
      </button>
      {labels.note !== null && editing !== 'note' ? (
        <p className="review__note">{labels.note.value}</p>
      ) : null}
      {editing === null ? null : (
        <form className="review__form" onSubmit={submit}>
          {editing === 'note' ? (
            <textarea
              aria-label="Note"
              value={text}
              rows={3}
              // biome-ignore lint/a11y/noAutofocus: the form opens on the person's click, for typing at once.
              autoFocus
              onChange={(event) => setText(event.target.value)}
            />
          ) : (
            <input
              aria-label={editing === 'tag' ? 'New tag' : 'Reason for the rating'}
              placeholder={editing === 'tag' ? 'tag' : 'Why? (optional)'}
              value={text}
              maxLength={editing === 'tag' ? 100 : 2000}
              // biome-ignore lint/a11y/noAutofocus: the form opens on the person's click, for typing at once.
              autoFocus
              onChange={(event) => setText(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.stopPropagation();
                  setEditing(null);
                }
              }}
            />
          )}
          <button type="submit" className="button button--small button--primary" disabled={busy}>
            {editing === 'tag' ? 'Add tag' : 'Save'}
          </button>
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => setEditing(null)}
          >
            Cancel
          </button>
        </form>
      )}
    </fieldset>
  );
}
