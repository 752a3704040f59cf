import { type MouseEvent, memo, useEffect, useRef, useState } from 'react';
import type { Message } from '../api/client.ts';
import { authorName, formatDateTime, formatTokens, roleName } from '../lib/format.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { useMessageActions } from '../state/message-actions.ts';
import { useMessageDraft } from '../state/model-stream-context.tsx';
import { draftText } from '../state/model-stream-store.ts';
import { useShortcutScope } from '../state/use-keyboard-shortcuts.ts';
import { useRevisions } from '../state/use-revisions.ts';
import { MarkdownView } from './markdown-view.tsx';
import { MessageEditor } from './message-editor.tsx';
import { ModelStatus } from './model-status.tsx';
import { ReviewControls } from './review-controls.tsx';
import { RevisionDiff } from './revision-browser.tsx';
import { KeyHint } from './shortcut-help.tsx';
import { MessageStepCheckpoint } from './step-checkpoint.tsx';
import { Stepper } from './stepper.tsx';
import { ToolCallList } from './tool-call-list.tsx';

/** The colour family of a card: the original's system grey, human green, assistant salmon, pale terminal. */
export function cardTone(message: Pick<Message, 'role' | 'author'>): string {
  if (message.role === 'tool' || message.author === 'terminal') return 'terminal';
  return message.role;
}

/** A checkbox's change comes from a click event, which says whether Shift was held. */
function withShift(event: Event): boolean {
  return 'shiftKey' in event && event.shiftKey === true;
}

const INTERACTIVE = 'a, button, input, textarea, select, label, summary';

export const MessageCard = memo(function MessageCard(props: {
  message: Message;
  selected: boolean;
  highlighted: boolean;
  revisionsVersion: number;
  /** The list's one Tab stop among the cards (roving focus); the others are reached with j / k. */
  tabStop?: boolean;
}) {
  const { message } = props;
  const actions = useMessageActions();
  const [editing, setEditing] = useState(false);
  const [viewedRevision, setViewedRevision] = useState<number | null>(null);
  const revisions = useRevisions(
    viewedRevision === null ? null : message.id,
    props.revisionsVersion,
    message.revision,
  );
  const pinned = editing || viewedRevision !== null;
  const draft = useMessageDraft(message.id);
  const streaming = message.status === 'streaming';
  const text = streaming && draft !== undefined ? draftText(draft, message.content) : message.content;
  const toolCalls = streaming && draft?.toolCalls ? draft.toolCalls : message.toolCalls;
  const fromModel = message.role === 'assistant' && message.author === 'model';
  const canEdit = !message.deleted && !streaming;
  const summarizes = message.summarizes ?? [];

  // Keys on the focused card (issue 11 item 2): the same actions as its buttons.
  const scope = useShortcutScope<HTMLElement>({
    'edit-message': () => (canEdit && !editing ? setEditing(true) : false),
    'toggle-send': () => (message.deleted ? false : actions.setIncluded(message, !message.included)),
    regenerate: () => (fromModel && !streaming ? actions.regenerate(message) : false),
  });
  // Saving or cancelling an edit removes the field that held the focus: give it back to the card.
  const wasEditing = useRef(false);
  useEffect(() => {
    const left = wasEditing.current && !editing;
    wasEditing.current = editing;
    if (left && (document.activeElement === null || document.activeElement === document.body)) {
      scope.element.current?.focus();
    }
  }, [editing, scope.element]);

  useEffect(() => {
    actions.setPinned(message.id, pinned);
  }, [actions, message.id, pinned]);
  useEffect(() => () => actions.setPinned(message.id, false), [actions, message.id]);

  const role = roleName(message.role);
  const author = authorName(message.author);
  const who = message.role === 'system' && message.author === 'human' ? role : `${role} · ${author}`;
  const siblingIndex = message.siblingIds.indexOf(message.id);

  const onCardClick = (event: MouseEvent<HTMLElement>) => {
    if (!event.shiftKey || (event.target as Element).closest(INTERACTIVE)) return;
    event.preventDefault();
    window.getSelection()?.removeAllRanges();
    actions.toggleSelected(message.id, { range: true });
  };
  const onTextClick = (event: MouseEvent<HTMLElement>) => {
    if (event.shiftKey || message.deleted || streaming) return;
    if ((event.target as Element).closest('a')) return;
    // Selecting text to copy it is not a request to edit.
    if ((window.getSelection()?.toString() ?? '') !== '') return;
    setEditing(true);
  };

  const classes = [
    'message-card',
    `message-card--${cardTone(message)}`,
    message.included ? '' : 'is-excluded',
    message.deleted ? 'is-deleted' : '',
    props.selected ? 'is-selected' : '',
    props.highlighted ? 'is-highlighted' : '',
    streaming ? 'is-streaming' : '',
  ].filter(Boolean);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: shift-click is a mouse shortcut; the Select checkbox is the keyboard path.
    <article
      ref={scope.ref}
      className={classes.join(' ')}
      aria-label={`${who} message`}
      data-message-id={message.id}
      tabIndex={props.tabStop ? 0 : -1}
      onClick={onCardClick}
    >
      <header className="message-card__meta">
        <label className="message-card__select" title="Select (Shift-click a card to select a range)">
          <input
            type="checkbox"
            checked={props.selected}
            onChange={(event) => actions.toggleSelected(message.id, { range: withShift(event.nativeEvent) })}
          />
          <span className="visually-hidden">Select</span>
        </label>
        <span className="message-card__who">
          <span className="badge badge--role">{role}</span>
          {who !== role ? <span className="badge badge--author">{author}</span> : null}
        </span>
        <time className="message-card__time" dateTime={message.createdAt} title={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
        <span className="message-card__tokens" title="Token count (o200k encoding: exact for OpenAI models)">
          {streaming ? '… tokens' : formatTokens(message.tokenCount)}
        </span>
        <label
          className="message-card__send"
          title="Unchecked: kept out of the context sent to the model (x on the card)"
        >
          <input
            type="checkbox"
            checked={message.included}
            disabled={message.deleted}
            aria-keyshortcuts={ariaKeyShortcuts('toggle-send')}
            onChange={(event) => actions.setIncluded(message, event.target.checked)}
          />
          Send <KeyHint label="x" />
        </label>
      </header>

      <div className="message-card__main">
        {summarizes.length > 0 ? (
          <div className="message-card__summary">
            <span className="badge badge--summary">
              Summary of {summarizes.length} message{summarizes.length === 1 ? '' : 's'}
            </span>
            <span className="muted">
              {message.included
                ? 'sent in their place, where the first of them stands'
                : 'not sent: its originals are'}
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                const first = summarizes[0];
                if (first !== undefined) actions.showMessage(first);
              }}
            >
              Show originals
            </button>
            {message.included && !message.deleted ? (
              <button
                type="button"
                className="button button--small"
                title="Check the originals again and uncheck this summary"
                onClick={() => actions.unsummarize(message)}
              >
                Undo summary
              </button>
            ) : null}
          </div>
        ) : null}
        {(message.siblingIds.length > 1 || message.revision > 1 || message.deleted) && (
          <div className="message-card__steppers">
            {message.deleted ? <span className="badge badge--deleted">Deleted</span> : null}
            {message.siblingIds.length > 1 ? (
              <Stepper
                label="branch"
                position={siblingIndex + 1}
                total={message.siblingIds.length}
                onStep={(position) => {
                  const target = message.siblingIds[position - 1];
                  if (target !== undefined) actions.selectBranch(target);
                }}
              />
            ) : null}
            {message.revision > 1 ? (
              <Stepper
                label="rev"
                position={viewedRevision ?? message.revision}
                total={message.revision}
                onStep={setViewedRevision}
              />
            ) : null}
          </div>
        )}

        {editing ? (
          <MessageEditor
            initial={message.content}
            label={`Edit ${who} message`}
            onCancel={() => setEditing(false)}
            onSave={async (content) => {
              const saved = await actions.revise(message, content);
              if (saved) setEditing(false);
              return saved;
            }}
          />
        ) : viewedRevision !== null ? (
          <div className="message-card__revision">
            {revisions === null ? (
              <p className="muted">Loading revisions…</p>
            ) : (
              <RevisionDiff revisions={revisions} number={viewedRevision} />
            )}
            <button type="button" className="button button--small" onClick={() => setViewedRevision(null)}>
              Back to the current text
            </button>
          </div>
        ) : (
          // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the Edit button is the keyboard path; clicking the text is the original's shortcut.
          <div
            className="message-card__content"
            title={streaming ? undefined : 'Click to edit'}
            onClick={onTextClick}
            aria-busy={streaming}
          >
            {text === '' ? (
              streaming ? (
                <p className="muted">
                  {toolCalls.length > 0 ? 'Calling a tool…' : 'Waiting for the first token…'}
                </p>
              ) : toolCalls.length > 0 ? (
                <p className="muted">(no text: a tool call)</p>
              ) : (
                <p className="muted">(empty)</p>
              )
            ) : cardTone(message) === 'terminal' ? (
              // Terminal output is text as the shell printed it; Markdown would eat its line breaks and `~`s.
              <pre className="terminal-text">{text}</pre>
            ) : (
              <MarkdownView text={text} />
            )}
          </div>
        )}

        <ToolCallList toolCalls={toolCalls} streaming={streaming} />
        {/* A command the person ran directly has no card once it ended: its step shows under its output. */}
        {message.role === 'user' && message.author === 'terminal' && !message.deleted ? (
          <MessageStepCheckpoint messageId={message.id} label={message.content.split('\n')[0] ?? ''} />
        ) : null}
        <ModelStatus message={message} draft={draft} />
        {/* A model's turn (or a person's written as the assistant) is what a reviewer rates (issue 9). */}
        {message.role === 'assistant' && !streaming && !message.deleted ? (
          <ReviewControls target={{ kind: 'message', id: message.id }} label="message" />
        ) : null}

        {!editing && (
          <div className="message-card__actions">
            {message.deleted ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => actions.restore([message.id])}
              >
                Restore
              </button>
            ) : (
              <>
                {message.role === 'assistant' && !fromModel ? (
                  <button
                    type="button"
                    className="button button--small"
                    title="Run this message’s shell blocks (or its whole text) as commands, after you confirm each"
                    onClick={() => actions.runMessage(message)}
                  >
                    ▶ Run
                  </button>
                ) : null}
                {fromModel && !streaming ? (
                  <button
                    type="button"
                    className="button button--small"
                    title="Ask the model again; the new answer is a sibling of this one (r)"
                    aria-keyshortcuts={ariaKeyShortcuts('regenerate')}
                    onClick={() => actions.regenerate(message)}
                  >
                    Regenerate <KeyHint label="r" />
                  </button>
                ) : null}
                {message.modelCallId !== null ? (
                  <button
                    type="button"
                    className="button button--small"
                    title="The exact request and response of the model call"
                    onClick={() => actions.inspectCall(message.id)}
                  >
                    Inspect
                  </button>
                ) : null}
                {streaming ? null : (
                  <button
                    type="button"
                    className="button button--small"
                    title="Edit the text; the edit is a new revision (e)"
                    aria-keyshortcuts={ariaKeyShortcuts('edit-message')}
                    onClick={() => setEditing(true)}
                  >
                    Edit <KeyHint label="e" />
                  </button>
                )}
                <button
                  type="button"
                  className="button button--small"
                  title="All revisions of this message, with what changed"
                  onClick={() => actions.showRevisions(message.id)}
                >
                  Revisions
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label="Fork from here"
                  title="Start a new conversation with the messages up to this one"
                  onClick={() => actions.fork(message)}
                >
                  Fork<span className="wide-only"> from here</span>
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label="Copy to…"
                  title="Copy this message into another conversation"
                  onClick={() => actions.copyTo([message.id])}
                >
                  Copy<span className="wide-only"> to…</span>
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  onClick={() => actions.remove([message.id])}
                >
                  Delete
                </button>
              </>
            )}
          </div>
        )}
      </div>
    </article>
  );
});
