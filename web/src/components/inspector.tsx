import { useEffect, useRef } from 'react';
import type { Message } from '../api/client.ts';
import { authorName, roleName } from '../lib/format.ts';
import { useRevisions } from '../state/use-revisions.ts';
import { RevisionDiff } from './revision-browser.tsx';

/** The right-hand panel: every revision of one message, newest first, each as a diff of the one before. */
export function Inspector(props: { message: Message | null; revisionsVersion: number; onClose: () => void }) {
  const { message } = props;
  const revisions = useRevisions(message?.id ?? null, props.revisionsVersion, message?.revision ?? 0);
  const closeButton = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    closeButton.current?.focus();
  }, []);

  return (
    <aside className="inspector" aria-label="Inspector">
      <header className="inspector__header">
        <h2 className="inspector__title">Revisions</h2>
        <button ref={closeButton} type="button" className="button button--ghost" onClick={props.onClose}>
          Close <span className="shortcut">Esc</span>
        </button>
      </header>
      {message === null ? (
        <p className="muted">This message is no longer on the shown path.</p>
      ) : (
        <>
          <p className="inspector__subject">
            {roleName(message.role)} · {authorName(message.author)} message, {message.revision}{' '}
            {message.revision === 1 ? 'revision' : 'revisions'}
          </p>
          {revisions === null ? (
            <p className="muted">Loading revisions…</p>
          ) : (
            <ol className="inspector__revisions" reversed>
              {revisions.toReversed().map((revision) => (
                <li key={revision.id} className="inspector__revision">
                  <RevisionDiff revisions={revisions} number={revision.number} />
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </aside>
  );
}
