import { type KeyboardEvent, useRef, useState } from 'react';
import { CANNED_PHRASES, insertPhrase } from '../lib/canned-phrases.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/** Edits a message's text; saving appends a revision (nothing is overwritten), Esc leaves it as it was. */
export function MessageEditor(props: {
  initial: string;
  label: string;
  onSave: (content: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [saving, setSaving] = useState(false);
  const textarea = useRef<HTMLTextAreaElement | null>(null);

  // Trimming by hand (issue 8 item 7): the phrase replaces the selected text, so the cut is said in the text.
  const insert = (index: number) => {
    const phrase = CANNED_PHRASES[index];
    const element = textarea.current;
    if (phrase === undefined || element === null) return;
    const next = insertPhrase(draft, element.selectionStart, element.selectionEnd, phrase);
    setDraft(next.value);
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(next.cursor, next.cursor);
    });
  };

  const save = async () => {
    if (saving) return;
    if (draft === props.initial) {
      props.onCancel();
      return;
    }
    setSaving(true);
    const saved = await props.onSave(draft);
    if (!saved) setSaving(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    }
  };

  return (
    <div className="message-editor">
      <AutoSizeTextarea
        className="message-editor__text"
        aria-label={props.label}
        value={draft}
        maxRows={24}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        textareaRef={(element) => {
          textarea.current = element;
          if (element && document.activeElement !== element && !element.dataset.focused) {
            element.dataset.focused = 'true';
            element.focus();
            element.setSelectionRange(element.value.length, element.value.length);
          }
        }}
        disabled={saving}
      />
      <div className="message-editor__buttons">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void save()}
          disabled={saving}
        >
          ✓ Save <span className="shortcut">Ctrl+Enter</span>
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={saving}>
          Cancel <span className="shortcut">Esc</span>
        </button>
        <select
          className="message-editor__phrases"
          aria-label="Replace the selected text with a phrase"
          title="Trim by hand: replace the selected text with a phrase saying what was cut"
          value=""
          disabled={saving}
          onChange={(event) => insert(Number(event.target.value))}
        >
          <option value="" disabled>
            Cut selection as…
          </option>
          {CANNED_PHRASES.map((phrase, index) => (
            <option key={phrase.label} value={index}>
              {phrase.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
