import { useId, useRef, useState } from 'react';
import type { Proposal } from '../api/terminal-api.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { useTerminalActions } from '../state/terminal-context.tsx';
import { useHeldFocus } from '../state/use-held-focus.ts';
import { dispatchWithin, useShortcutScope } from '../state/use-keyboard-shortcuts.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';
import { ExecutionView } from './execution-view.tsx';
import { FileActionCard } from './file-action-card.tsx';
import { RejectButton, RejectReasonForm } from './reject-reason-form.tsx';
import { ReviewControls } from './review-controls.tsx';
import { HiddenCharactersPreview, HiddenCharactersWarning, VisibleCommandText } from './visible-command.tsx';

/** A proposal's card: a file action's (issue 8) or a command's. */
export function ProposalCard(props: {
  proposal: Proposal;
  number: number;
  command: string;
  onCommandChange: (command: string) => void;
  busy: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const { action } = props.proposal;
  if (action !== null) {
    return (
      <FileActionCard
        proposal={{ ...props.proposal, action }}
        number={props.number}
        busy={props.busy}
        onBusy={props.onBusy}
      />
    );
  }
  return <CommandCard {...props} />;
}

/**
 * A command the model (or a person writing as it) put forward. Nothing runs until the person says so: the
 * text is theirs to edit first, and Reject tells the model why.
 */
function CommandCard(props: {
  proposal: Proposal;
  number: number;
  command: string;
  onCommandChange: (command: string) => void;
  busy: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const { proposal } = props;
  const ids = useId();
  const actions = useTerminalActions();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const pending = proposal.status === 'proposed';
  const execution = proposal.execution;
  const edited =
    execution !== null &&
    execution.commandProposed !== null &&
    execution.commandRun !== execution.commandProposed;

  const commandField = useRef<HTMLTextAreaElement | null>(null);

  const run = async () => {
    if (props.command.trim() === '' || props.busy) return;
    focus.hold();
    props.onBusy(true);
    const execution = await actions.run(proposal, props.command);
    props.onBusy(false);
    if (execution === null) focus.release();
  };
  const reject = async () => {
    focus.hold();
    props.onBusy(true);
    const done = await actions.reject(proposal, reason);
    props.onBusy(false);
    if (done) setRejecting(false);
    else focus.release();
  };
  const cancelReject = () => {
    focus.hold();
    setRejecting(false);
  };

  const scope = useShortcutScope<HTMLDivElement>({
    'run-proposal': () => (pending && !rejecting && !props.busy ? void run() : false),
    'reject-proposal': () => (pending && !rejecting && !props.busy ? setRejecting(true) : false),
    'edit-command': () => {
      const field = commandField.current;
      if (!pending || field === null) return false;
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    },
    'leave-field': (context): unknown =>
      context.target === commandField.current ? scope.element.current?.focus() : false,
    'interrupt-command': (context): unknown =>
      scope.element.current !== null && dispatchWithin(scope.element.current, 'interrupt-command', context),
  });
  const focus = useHeldFocus(scope.element, pending);

  return (
    // A group inside its message's group of proposals, not a landmark of its own (see ProposalGroup).
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> is a form's set of fields (and min-content wide).
    <div
      role="group"
      ref={scope.ref}
      className={`proposal-card proposal-card--${proposal.status}`}
      aria-label={`Proposed command ${props.number}`}
      data-proposal-id={proposal.id}
      tabIndex={-1}
    >
      <header className="proposal-card__header">
        <span className="proposal-card__title">
          {proposal.toolCallId !== null ? 'run_command' : 'Command'} {props.number}
        </span>
        <span className={`badge status-badge status-badge--${proposal.status}`}>{proposal.status}</span>
        {proposal.timeoutSeconds !== null ? (
          <span className="muted">timeout {proposal.timeoutSeconds} s</span>
        ) : null}
      </header>

      {pending ? (
        <>
          <label htmlFor={`${ids}-command`} className="visually-hidden">
            Command {props.number}
          </label>
          <AutoSizeTextarea
            id={`${ids}-command`}
            className="proposal-card__command"
            value={props.command}
            maxRows={12}
            rows={1}
            spellCheck={false}
            onChange={(event) => props.onCommandChange(event.target.value)}
            aria-keyshortcuts={ariaKeyShortcuts('edit-command')}
            textareaRef={(element) => {
              commandField.current = element;
            }}
          />
          <HiddenCharactersPreview text={props.command} />
          {props.command !== proposal.command ? (
            <p className="proposal-card__note">
              Edited: the model will see what you ran.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => props.onCommandChange(proposal.command)}
              >
                Undo edits
              </button>
            </p>
          ) : null}
          {rejecting ? (
            <RejectReasonForm
              id={`${ids}-reason`}
              reason={reason}
              busy={props.busy}
              onReasonChange={setReason}
              onReject={() => void reject()}
              onCancel={cancelReject}
            />
          ) : (
            <div className="proposal-card__buttons">
              <button
                type="button"
                className="button button--small button--primary"
                disabled={props.busy || props.command.trim() === ''}
                title="Run the command as it stands (y on the card, Ctrl+Enter in the command)"
                aria-keyshortcuts={ariaKeyShortcuts('run-proposal')}
                onClick={() => void run()}
              >
                ▶ Run
                <span className="shortcut" aria-hidden="true">
                  {' '}
                  y · Ctrl+Enter
                </span>
              </button>
              <RejectButton what="the command" busy={props.busy} onClick={() => setRejecting(true)} />
            </div>
          )}
        </>
      ) : (
        <>
          <HiddenCharactersWarning text={execution?.commandRun ?? proposal.command} />
          <pre className="proposal-card__ran">
            <span className="proposal-card__prompt" aria-hidden="true">
              ${' '}
            </span>
            <VisibleCommandText text={execution?.commandRun ?? proposal.command} />
          </pre>
        </>
      )}
      {edited ? (
        <details className="proposal-card__original">
          <summary>Edited before running; as proposed:</summary>
          <pre>
            <VisibleCommandText text={execution?.commandProposed ?? ''} />
          </pre>
        </details>
      ) : null}
      {proposal.status === 'rejected' ? (
        <p className="proposal-card__reason">Rejected{proposal.reason ? `: ${proposal.reason}` : ''}</p>
      ) : null}
      {/* Why it waits for a person again (the policy no longer let it run by itself, its shell did not
          start), or why it ended without running. */}
      {(pending || proposal.status === 'interrupted') && proposal.reason ? (
        <p className="proposal-card__reason">{proposal.reason}</p>
      ) : null}
      {execution !== null && !pending ? <ExecutionView execution={execution} /> : null}
      <ReviewControls target={{ kind: 'proposal', id: proposal.id }} label="proposal" />
    </div>
  );
}
