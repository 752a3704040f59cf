import { useId, useState } from 'react';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/**
 * A summary the person writes instead of the model (issue 8 item 7): it stands for the selected range like a
 * drafted one, its originals kept, unchecked.
 */
export function SummaryWriter(props: {
  count: number;
  onSave: (content: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('Summary of earlier work: ');
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (saving || text.trim() === '') return;
    setSaving(true);
    if (!(await props.onSave(text))) setSaving(false);
  };

  return (
    <section className="summary-writer" aria-label="Write a summary">
      <label htmlFor={id} className="summary-writer__label">
        Your summary of {props.count} message{props.count === 1 ? '' : 's'} (sent in their place; they are
        kept, unchecked)
      </label>
      <AutoSizeTextarea
        id={id}
        className="message-editor__text"
        value={text}
        maxRows={12}
        disabled={saving}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void save();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            props.onCancel();
          }
        }}
      />
      <div className="message-editor__buttons">
        <button
          type="button"
          className="button button--primary"
          disabled={saving || text.trim() === ''}
          onClick={() => void save()}
        >
          Save summary <span className="shortcut">Ctrl+Enter</span>
        </button>
        <button type="button" className="button" disabled={saving} onClick={props.onCancel}>
          Cancel <span className="shortcut">Esc</span>
        </button>
      </div>
    </section>
  );
}
