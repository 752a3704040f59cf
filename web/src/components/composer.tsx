import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { NewMessage } from '../api/client.ts';
import {
  CHOICE_LABELS,
  COMPOSER_CHOICES,
  type ComposerChoice,
  composerTarget,
  isComposerChoice,
} from '../lib/composer-roles.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { HUMAN } from '../lib/model-choice.ts';
import type { WrittenToolCall } from '../lib/written-tool-calls.ts';
import { isShown, useGlobalShortcuts, useShortcutScope } from '../state/use-keyboard-shortcuts.ts';
import { latestPreview, type PreviewState } from '../state/use-preview.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';
import { ShortcutHelpButton } from './shortcut-help.tsx';
import { TokenMeter } from './token-meter.tsx';
import { ToolCallComposer } from './tool-call-composer.tsx';

/** Not a message: the text runs as a command in the conversation's shell, and its output becomes one. */
const RUN_CHOICE = 'run';
type Choice = ComposerChoice | typeof RUN_CHOICE;

/**
 * The composer: who speaks, what they say, and one button that says what will happen: add the message,
 * add it and send the conversation to the model, or run the text as a terminal command.
 */
export function Composer(props: {
  includedTokens: number;
  includedCount: number;
  totalCount: number;
  preview: PreviewState;
  onAdd: (message: NewMessage) => Promise<boolean>;
  onRunCommand: (command: string) => Promise<boolean>;
  onOpenPreview: () => void;
  /** Esc in the composer: the keyboard goes up to the messages (issue 11 item 2). */
  onLeave: () => void;
  /** A new, empty conversation: the next thing a person does is write, so the cursor waits there. */
  autoFocus: boolean;
  /** The conversation runs its commands on the host: said here too, so it is in view at any window height. */
  onHost: boolean;
}) {
  const ids = useId();
  const [choice, setChoice] = useState<Choice>('user');
  const [customName, setCustomName] = useState('');
  const [text, setText] = useState('');
  const [sendToModel, setSendToModel] = useState(false);
  const [busy, setBusy] = useState(false);
  // Tool calls written as the assistant (issue 8 item 2); kept if the role changes, sent only as the assistant.
  const [toolCalls, setToolCalls] = useState<WrittenToolCall[]>([]);
  const [toolCallFormOpen, setToolCallFormOpen] = useState(false);
  // `c` puts the cursor here from anywhere; Esc in one of its fields leaves for the last message.
  const scope = useShortcutScope<HTMLFormElement>({ 'leave-field': () => props.onLeave() });
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  useGlobalShortcuts({
    'focus-composer': () => (isShown(textarea.current) ? textarea.current.focus() : false),
  });

  const running = choice === RUN_CHOICE;
  const target = running ? null : composerTarget(choice, customName);
  const writingCalls = target?.role === 'assistant';
  const sentCalls = writingCalls ? toolCalls : [];
  // The calls wait for the person to run them, so the model is not called with them unanswered.
  const sending = sendToModel && sentCalls.length === 0;
  const canSubmit =
    (running || target !== null) &&
    (text.trim() !== '' || sentCalls.length > 0) &&
    !(writingCalls && toolCallFormOpen) &&
    !busy;
  const buttonLabel = running
    ? 'Run command'
    : sentCalls.length > 0
      ? `Add with ${sentCalls.length} tool ${sentCalls.length === 1 ? 'call' : 'calls'}`
      : sending
        ? 'Send to model'
        : (target?.buttonLabel ?? 'Add as …');
  const noModel =
    latestPreview(props.preview)?.provider === HUMAN ||
    (props.preview.status === 'unavailable' && props.preview.code === 'no_model');

  const submit = async () => {
    if (!canSubmit) return;
    setBusy(true);
    const done = running
      ? await props.onRunCommand(text)
      : target !== null &&
        (await props.onAdd({
          role: target.role,
          author: target.author,
          content: text,
          ...(sending ? { send: true } : {}),
          ...(sentCalls.length > 0 ? { toolCalls: sentCalls } : {}),
        }));
    setBusy(false);
    if (done) {
      setText('');
      if (sentCalls.length > 0) setToolCalls([]);
    }
    textarea.current?.focus();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form
      ref={scope.ref}
      className={`composer${running ? ' is-command' : ''}${writingCalls ? ' has-tool-calls' : ''}`}
      onSubmit={onSubmit}
      aria-label="Add a message"
    >
      <div className="composer__who">
        <label htmlFor={`${ids}-role`} className="visually-hidden">
          Role and author
        </label>
        <select
          id={`${ids}-role`}
          className="composer__role"
          value={choice}
          onChange={(event) => {
            const value = event.target.value;
            if (value === RUN_CHOICE || isComposerChoice(value)) setChoice(value);
          }}
        >
          {COMPOSER_CHOICES.map((value) => (
            <option key={value} value={value}>
              {CHOICE_LABELS[value]}
            </option>
          ))}
          <option value={RUN_CHOICE}>Run a command</option>
        </select>
        {choice === 'custom' ? (
          <>
            <label htmlFor={`${ids}-name`} className="visually-hidden">
              Author name
            </label>
            <input
              id={`${ids}-name`}
              className="composer__name"
              placeholder="Author name"
              value={customName}
              maxLength={100}
              onChange={(event) => setCustomName(event.target.value)}
              onKeyDown={onKeyDown}
            />
          </>
        ) : null}
      </div>
      {writingCalls ? (
        <ToolCallComposer calls={toolCalls} onCallsChange={setToolCalls} onOpenChange={setToolCallFormOpen} />
      ) : null}
      <label htmlFor={`${ids}-text`} className="visually-hidden">
        Message text
      </label>
      <AutoSizeTextarea
        id={`${ids}-text`}
        className="composer__text"
        placeholder={
          running
            ? 'A command for this conversation’s shell… (Ctrl+Enter runs it)'
            : 'Write a message… (Ctrl+Enter adds it)'
        }
        value={text}
        maxRows={8}
        rows={2}
        spellCheck={!running}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-keyshortcuts={ariaKeyShortcuts('focus-composer')}
        autoFocus={props.autoFocus}
        textareaRef={(element) => {
          textarea.current = element;
        }}
      />
      <div className="composer__send">
        {running ? null : (
          <label
            className="composer__send-to-model"
            title={
              sentCalls.length > 0
                ? 'The tool calls are proposed first: run them from their cards'
                : noModel
                  ? 'No model is connected: choose one in the bar above first'
                  : 'Add the message, then send the conversation (checked messages) to the model'
            }
          >
            <input
              type="checkbox"
              checked={sending}
              disabled={sentCalls.length > 0}
              onChange={(event) => setSendToModel(event.target.checked)}
            />
            Send to model
          </label>
        )}
        <button
          type="submit"
          className="button button--primary composer__button"
          disabled={!canSubmit}
          title={
            writingCalls && toolCallFormOpen
              ? 'Add or cancel the open tool call first'
              : 'Ctrl+Enter in the text does the same'
          }
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          {buttonLabel}
        </button>
      </div>
      <div className="composer__context">
        {props.onHost ? (
          // The short form of the settings bar's warning, which a short window scrolls out of view.
          <span
            className="badge host-badge"
            title="This conversation has no sandbox: its commands run directly on this machine, with your permissions."
          >
            ⚠ No sandbox: commands run on the host
          </span>
        ) : null}
        <TokenMeter
          state={props.preview}
          includedTokens={props.includedTokens}
          includedCount={props.includedCount}
          totalCount={props.totalCount}
          onOpenPreview={props.onOpenPreview}
        />
        <ShortcutHelpButton />
      </div>
    </form>
  );
}
