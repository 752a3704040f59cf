import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { NewMessage } from '../api/client.ts';
import {
  CHOICE_LABELS,
  COMPOSER_CHOICES,
  type ComposerChoice,
  composerTarget,
  isComposerChoice,
} from '../lib/composer-roles.ts';
import { formatCount, formatTokens } from '../lib/format.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/**
 * The composer: who speaks, what they say, and one button that says what will happen. With "Send to model"
 * unchecked it only adds the message; no model can be configured yet (providers issue), so checking it adds
 * the message and says plainly that nothing was sent.
 */
export function Composer(props: {
  includedTokens: number;
  includedCount: number;
  totalCount: number;
  onAdd: (message: NewMessage, options: { sendToModel: boolean }) => Promise<boolean>;
  /** A new, empty conversation: the next thing a person does is write, so the cursor waits there. */
  autoFocus: boolean;
}) {
  const ids = useId();
  const [choice, setChoice] = useState<ComposerChoice>('user');
  const [customName, setCustomName] = useState('');
  const [text, setText] = useState('');
  const [sendToModel, setSendToModel] = useState(false);
  const [busy, setBusy] = useState(false);
  const textarea = useRef<HTMLTextAreaElement | null>(null);

  const target = composerTarget(choice, customName);
  const canSubmit = target !== null && text.trim() !== '' && !busy;
  const buttonLabel = sendToModel ? 'Add & send to model' : (target?.buttonLabel ?? 'Add as …');

  const submit = async () => {
    if (!canSubmit || target === null) return;
    setBusy(true);
    const added = await props.onAdd(
      { role: target.role, author: target.author, content: text },
      { sendToModel },
    );
    setBusy(false);
    if (added) setText('');
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
    <form className="composer" onSubmit={onSubmit} aria-label="Add a message">
      <div className="composer__who">
        <label htmlFor={`${ids}-role`} className="visually-hidden">
          Role and author
        </label>
        <select
          id={`${ids}-role`}
          className="composer__role"
          value={choice}
          onChange={(event) => {
            if (isComposerChoice(event.target.value)) setChoice(event.target.value);
          }}
        >
          {COMPOSER_CHOICES.map((value) => (
            <option key={value} value={value}>
              {CHOICE_LABELS[value]}
            </option>
          ))}
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
      <label htmlFor={`${ids}-text`} className="visually-hidden">
        Message text
      </label>
      <AutoSizeTextarea
        id={`${ids}-text`}
        className="composer__text"
        placeholder="Write a message… (Ctrl+Enter adds it)"
        value={text}
        maxRows={8}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus={props.autoFocus}
        textareaRef={(element) => {
          textarea.current = element;
        }}
      />
      <div className="composer__send">
        <label className="composer__send-to-model" title="No model is configured yet: nothing will be sent">
          <input
            type="checkbox"
            checked={sendToModel}
            onChange={(event) => setSendToModel(event.target.checked)}
          />
          Send to model
        </label>
        <button type="submit" className="button button--primary composer__button" disabled={!canSubmit}>
          {buttonLabel}
        </button>
      </div>
      <p className="composer__context">
        Context: {formatTokens(props.includedTokens)} in {formatCount(props.includedCount)} of{' '}
        {formatCount(props.totalCount)} messages · no model configured
      </p>
    </form>
  );
}
