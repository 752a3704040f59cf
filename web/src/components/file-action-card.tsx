import { useId, useState } from 'react';
import type { FileAction, Proposal } from '../api/terminal-api.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { useTerminalActions } from '../state/terminal-context.tsx';
import { useHeldFocus } from '../state/use-held-focus.ts';
import { useShortcutScope } from '../state/use-keyboard-shortcuts.ts';
import { EditBlocksView } from './edit-blocks-view.tsx';
import { ExecutionView } from './execution-view.tsx';
import { RejectButton, RejectReasonForm } from './reject-reason-form.tsx';
import { ReviewControls } from './review-controls.tsx';
import { KeyHint } from './shortcut-help.tsx';
import { WriteFilePreview } from './write-file-preview.tsx';

const TITLES: Record<FileAction['tool'], string> = {
  read_file: 'Read file',
  write_file: 'Write file',
  edit_file: 'Edit file',
};

const APPLY_LABELS: Record<FileAction['tool'], string> = {
  read_file: 'Read',
  write_file: 'Write',
  edit_file: 'Apply',
};

export const TEST_EDIT_WARNING =
  'This changes a test, not the code under test, and the last test run failed.';

/**
 * A file action the model (or a person writing as it) put forward (issue 8 item 1): a read shows the path and
 * lines, a write the new content against the file as it is, an edit each block old → new, whose new text the
 * person may change first. Nothing is applied until the person says so, with the keys of a command's card.
 */
export function FileActionCard(props: {
  proposal: Proposal & { action: FileAction };
  number: number;
  busy: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const { proposal } = props;
  const { action } = proposal;
  const ids = useId();
  const actions = useTerminalActions();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [newTexts, setNewTexts] = useState<string[]>(() =>
    action.tool === 'edit_file' ? action.edits.map((edit) => edit.newText) : [],
  );
  const pending = proposal.status === 'proposed';
  const execution = proposal.execution;
  const changed =
    action.tool === 'edit_file' && action.edits.some((edit, index) => edit.newText !== newTexts[index]);
  const ran = execution?.actionRun ?? null;
  const editedBeforeApplying = ran !== null && JSON.stringify(ran) !== JSON.stringify(action);

  const apply = async () => {
    if (props.busy) return;
    focus.hold();
    props.onBusy(true);
    const sent =
      action.tool === 'edit_file' && changed
        ? {
            ...action,
            edits: action.edits.map((edit, index) => ({ ...edit, newText: newTexts[index] ?? edit.newText })),
          }
        : null;
    const done = await actions.applyAction(proposal, sent);
    props.onBusy(false);
    if (done === null) focus.release();
  };
  const reject = async () => {
    focus.hold();
    props.onBusy(true);
    const done = await actions.reject(proposal, reason);
    props.onBusy(false);
    if (done) setRejecting(false);
    else focus.release();
  };

  const scope = useShortcutScope<HTMLDivElement>({
    'run-proposal': () => (pending && !rejecting && !props.busy ? void apply() : false),
    'reject-proposal': () => (pending && !rejecting && !props.busy ? setRejecting(true) : false),
  });
  const focus = useHeldFocus(scope.element, pending);

  return (
    // biome-ignore lint/a11y/useSemanticElements: as ProposalCard: a <fieldset> is a form's set of fields.
    <div
      role="group"
      ref={scope.ref}
      className={`proposal-card file-action proposal-card--${proposal.status}`}
      aria-label={`Proposed file action ${props.number}`}
      data-proposal-id={proposal.id}
      tabIndex={-1}
    >
      <header className="proposal-card__header">
        <span className="proposal-card__title">
          {proposal.toolCallId !== null ? action.tool : TITLES[action.tool]} {props.number}
        </span>
        <code className="file-action__path">
          <bdi>{action.path}</bdi>
        </code>
        <span className={`badge status-badge status-badge--${proposal.status}`}>{proposal.status}</span>
      </header>

      {proposal.testEditWarning ? (
        // An alert while it waits, so it is heard before the person decides; a plain note once decided.
        <p className="file-action__warning" role={pending ? 'alert' : undefined}>
          <strong>Warning:</strong> {TEST_EDIT_WARNING}
        </p>
      ) : null}

      {action.tool === 'read_file' ? (
        <p className="file-action__note">{readRange(action)}</p>
      ) : action.tool === 'write_file' ? (
        <WriteFilePreview
          conversationId={proposal.conversationId}
          path={action.path}
          content={ran?.tool === 'write_file' ? ran.content : action.content}
          pending={pending}
        />
      ) : (
        <EditBlocksView
          path={action.path}
          edits={!pending && ran?.tool === 'edit_file' ? ran.edits : action.edits}
          {...(pending
            ? {
                newTexts,
                onNewTextChange: (index: number, text: string) =>
                  setNewTexts((texts) => texts.map((known, at) => (at === index ? text : known))),
              }
            : {})}
        />
      )}

      {pending && changed ? (
        <p className="proposal-card__note">
          Changed: the model will see what you applied.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              setNewTexts(action.tool === 'edit_file' ? action.edits.map((edit) => edit.newText) : [])
            }
          >
            Undo changes
          </button>
        </p>
      ) : null}

      {pending ? (
        rejecting ? (
          <RejectReasonForm
            id={`${ids}-reason`}
            reason={reason}
            busy={props.busy}
            onReasonChange={setReason}
            onReject={() => void reject()}
            onCancel={() => {
              focus.hold();
              setRejecting(false);
            }}
          />
        ) : (
          <div className="proposal-card__buttons">
            <button
              type="button"
              className="button button--small button--primary"
              disabled={props.busy}
              title={`${APPLY_LABELS[action.tool]} ${action.path} as it stands (y on the card)`}
              aria-keyshortcuts={ariaKeyShortcuts('run-proposal')}
              onClick={() => void apply()}
            >
              ▶ {APPLY_LABELS[action.tool]}
              <KeyHint label="y" />
            </button>
            <RejectButton what="it" busy={props.busy} onClick={() => setRejecting(true)} />
          </div>
        )
      ) : null}

      {editedBeforeApplying && action.tool === 'edit_file' ? (
        <details className="proposal-card__original">
          <summary>Changed before applying; as proposed:</summary>
          <EditBlocksView path={action.path} edits={action.edits} />
        </details>
      ) : null}
      {proposal.status === 'rejected' ? (
        <p className="proposal-card__reason">Rejected{proposal.reason ? `: ${proposal.reason}` : ''}</p>
      ) : null}
      {(pending || proposal.status === 'interrupted') && proposal.reason ? (
        <p className="proposal-card__reason">{proposal.reason}</p>
      ) : null}
      {execution !== null && !pending ? <ExecutionView execution={execution} /> : null}
      <ReviewControls target={{ kind: 'proposal', id: proposal.id }} label="proposal" />
    </div>
  );
}

function readRange(action: Extract<FileAction, { tool: 'read_file' }>): string {
  const { startLine, endLine } = action;
  if (startLine === undefined && endLine === undefined) return 'The whole file.';
  if (endLine === undefined) return `From line ${startLine} to the end.`;
  return `Lines ${startLine ?? 1}–${endLine}.`;
}
