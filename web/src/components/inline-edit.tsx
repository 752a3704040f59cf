import { type KeyboardEvent, useState } from 'react';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/**
 * Text that turns into a field when clicked. Enter (Ctrl+Enter when multiline) or leaving the field saves,
 * Esc cancels. The resting state is a button, so it is reachable and announced as editable.
 */
export function InlineEdit(props: {
  value: string;
  label: string;
  placeholder: string;
  multiline?: boolean;
  className?: string;
  onSave: (value: string) => Promise<boolean>;
}) {
  const [draft, setDraft] = useState<string | null>(null);

  const finish = async (value: string) => {
    if (value === props.value) {
      setDraft(null);
      return;
    }
    if (await props.onSave(value)) setDraft(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const submits = props.multiline
      ? event.key === 'Enter' && (event.ctrlKey || event.metaKey)
      : event.key === 'Enter';
    if (submits) {
      event.preventDefault();
      void finish(event.currentTarget.value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setDraft(null);
    }
  };

  const classes = ['inline-edit', props.className ?? ''].filter(Boolean).join(' ');
  if (draft === null) {
    return (
      <button
        type="button"
        className={`${classes} inline-edit__display${props.value === '' ? ' is-empty' : ''}`}
        title={`${props.label}: click to edit`}
        aria-label={`${props.label}: ${props.value || props.placeholder}. Edit`}
        onClick={() => setDraft(props.value)}
      >
        {props.value || props.placeholder}
      </button>
    );
  }
  const common = {
    className: `${classes} inline-edit__field`,
    'aria-label': props.label,
    placeholder: props.placeholder,
    value: draft,
    autoFocus: true,
    onKeyDown,
    onBlur: () => void finish(draft),
  };
  return props.multiline ? (
    <AutoSizeTextarea {...common} maxRows={6} rows={1} onChange={(event) => setDraft(event.target.value)} />
  ) : (
    <input {...common} onChange={(event) => setDraft(event.target.value)} />
  );
}
