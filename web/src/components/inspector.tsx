import { useEffect, useRef } from 'react';
import type { Message } from '../api/client.ts';
import { authorName, roleName } from '../lib/format.ts';
import type { PreviewState } from '../state/use-preview.ts';
import { useRevisions } from '../state/use-revisions.ts';
import { CheckpointDiffView } from './checkpoint-diff-view.tsx';
import { ModelCallList } from './model-call-list.tsx';
import { ModelCallView } from './model-call-view.tsx';
import { PreviewView } from './preview-view.tsx';
import { RevisionDiff } from './revision-browser.tsx';
import { WorkspacePanel } from './workspace-panel.tsx';

/**
 * What the right-hand panel shows: a message's revisions or its model call, the next request, a step's diff
 * in the workspace, or the workspace itself (issue 8).
 */
export type InspectorSubject =
  | { kind: 'revisions' | 'call'; messageId: string }
  | { kind: 'preview' }
  | { kind: 'checkpoint'; checkpointId: string; step: string }
  | { kind: 'workspace' };

const TITLES: Record<InspectorSubject['kind'], string> = {
  revisions: 'Revisions',
  call: 'Model call',
  preview: 'Next request (preview)',
  checkpoint: 'Step diff',
  workspace: 'Workspace',
};

export function Inspector(props: {
  subject: InspectorSubject;
  conversationId: string | null;
  message: Message | null;
  revisionsVersion: number;
  preview: PreviewState;
  onClose: () => void;
}) {
  const { subject, message } = props;
  const closeButton = useRef<HTMLButtonElement | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to the panel whenever it shows something new.
  useEffect(() => {
    closeButton.current?.focus();
  }, [subject]);

  return (
    <aside
      className={`inspector${subject.kind === 'workspace' || subject.kind === 'checkpoint' ? ' inspector--wide' : ''}`}
      aria-label="Inspector"
    >
      <header className="inspector__header">
        <h2 className="inspector__title">{TITLES[subject.kind]}</h2>
        <button ref={closeButton} type="button" className="button button--ghost" onClick={props.onClose}>
          Close <span className="shortcut">Esc</span>
        </button>
      </header>
      {subject.kind === 'preview' ? (
        <PreviewView state={props.preview} />
      ) : subject.kind === 'checkpoint' ? (
        <CheckpointDiffView checkpointId={subject.checkpointId} step={subject.step} />
      ) : subject.kind === 'workspace' ? (
        props.conversationId === null ? (
          <p className="muted">Open a conversation to see its workspace.</p>
        ) : (
          <WorkspacePanel key={props.conversationId} conversationId={props.conversationId} />
        )
      ) : message === null ? (
        <p className="muted">This message is no longer on the shown path.</p>
      ) : subject.kind === 'call' ? (
        <>
          <p className="inspector__subject">
            {roleName(message.role)} · {authorName(message.author)} message
          </p>
          <ModelCallView message={message} />
          {props.conversationId === null ? null : (
            <ModelCallList conversationId={props.conversationId} currentCallId={message.modelCallId} />
          )}
        </>
      ) : (
        <RevisionList message={message} revisionsVersion={props.revisionsVersion} />
      )}
    </aside>
  );
}

function RevisionList(props: { message: Message; revisionsVersion: number }) {
  const { message } = props;
  const revisions = useRevisions(message.id, props.revisionsVersion, message.revision);
  return (
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
  );
}
