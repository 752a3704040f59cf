import { type KeyboardEvent, useId, useState } from 'react';
import type { Proposal } from '../api/terminal-api.ts';
import { useTerminalActions } from '../state/terminal-context.tsx';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';
import { ExecutionView } from './execution-view.tsx';
import { HiddenCharactersPreview, HiddenCharactersWarning, VisibleCommandText } from './visible-command.tsx';

/**
 * A command the model (or a person writing as it) put forward. Nothing runs until the person says so: the
 * text is theirs to edit first, and Reject tells the model why.
 */
export function ProposalCard(props: {
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

  const run = async () => {
    if (props.command.trim() === '' || props.busy) return;
    props.onBusy(true);
    await actions.run(proposal, props.command);
    props.onBusy(false);
  };
  const reject = async () => {
    props.onBusy(true);
    const done = await actions.reject(proposal, reason);
    props.onBusy(false);
    if (done) setRejecting(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  };

  return (
    <section
      className={`proposal-card proposal-card--${proposal.status}`}
      aria-label={`Proposed command ${props.number}`}
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
            onKeyDown={onKeyDown}
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
            <div className="proposal-card__reject">
              <label htmlFor={`${ids}-reason`} className="visually-hidden">
                Reason for rejecting
              </label>
              <input
                id={`${ids}-reason`}
                value={reason}
                placeholder="Why (optional; the model reads it)"
                // biome-ignore lint/a11y/noAutofocus: the person just asked to write a reason.
                autoFocus
                onChange={(event) => setReason(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    void reject();
                  } else if (event.key === 'Escape') {
                    event.preventDefault();
                    setRejecting(false);
                  }
                }}
              />
              <button
                type="button"
                className="button button--small button--danger"
                disabled={props.busy}
                onClick={() => void reject()}
              >
                Reject
              </button>
              <button type="button" className="button button--small" onClick={() => setRejecting(false)}>
                Cancel
              </button>
            </div>
          ) : (
            <div className="proposal-card__buttons">
              <button
                type="button"
                className="button button--small button--primary"
                disabled={props.busy || props.command.trim() === ''}
                onClick={() => void run()}
              >
                ▶ Run<span className="shortcut"> Ctrl+Enter</span>
              </button>
              <button
                type="button"
                className="button button--small"
                disabled={props.busy}
                onClick={() => setRejecting(true)}
              >
                Reject…
              </button>
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
    </section>
  );
}
