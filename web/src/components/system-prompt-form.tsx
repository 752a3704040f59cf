import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ConversationSettings } from '../api/client.ts';
import { contextApi, type PromptList } from '../api/context-api.ts';
import { useToasts } from '../state/toasts.tsx';

const CUSTOM = '';
const DEFAULT = 'default';

/**
 * The conversation's system prompt (issue 8 item 7): sent first when the path holds no system message. A
 * picker fills the text from the built-in default or the prompt library; the text stays editable here, and
 * can be saved to the library under a name. Also the opt-in for automatic compaction.
 */
export function SystemPromptForm(props: {
  settings: ConversationSettings;
  /** Whether the path already holds a system message (which the model reads instead of this). */
  pathHasSystemMessage: boolean;
  onSave: (patch: { systemPrompt?: string; autoCompact?: boolean }) => Promise<boolean>;
  onCancel: () => void;
}) {
  const ids = useId();
  const toasts = useToasts();
  const [library, setLibrary] = useState<PromptList | null>(null);
  const [text, setText] = useState(props.settings.systemPrompt ?? '');
  const [autoCompact, setAutoCompact] = useState(props.settings.autoCompact ?? false);
  const [picked, setPicked] = useState(CUSTOM);
  const [saveName, setSaveName] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    contextApi.prompts().then((list) => {
      if (current) setLibrary(list);
    }, toasts.reportError);
    return () => {
      current = false;
    };
  }, [toasts.reportError]);

  const pick = (value: string) => {
    setPicked(value);
    if (library === null || value === CUSTOM) return;
    if (value === DEFAULT) setText(library.defaultPrompt.content);
    else setText(library.prompts.find((prompt) => prompt.id === value)?.content ?? text);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const saved = await props.onSave({ systemPrompt: text, autoCompact });
    setBusy(false);
    if (saved) props.onCancel();
  };

  const saveToLibrary = async () => {
    if (saveName.trim() === '') return;
    try {
      const prompt = await contextApi.savePrompt({ name: saveName.trim(), content: text });
      setLibrary((list) => (list === null ? list : { ...list, prompts: [...list.prompts, prompt] }));
      setPicked(prompt.id);
      setSaveName('');
      toasts.show({ text: `Saved “${prompt.name}” to the prompt library.`, tone: 'info' });
    } catch (error) {
      toasts.reportError(error);
    }
  };

  return (
    <form className="settings-form" aria-label="System prompt" onSubmit={(event) => void submit(event)}>
      <div className="settings-form__grid">
        <label htmlFor={`${ids}-pick`}>Start from</label>
        <select id={`${ids}-pick`} value={picked} onChange={(event) => pick(event.target.value)}>
          <option value={CUSTOM}>(the text below)</option>
          <option value={DEFAULT}>{library?.defaultPrompt.name ?? 'Default'}</option>
          {library?.prompts.map((prompt) => (
            <option key={prompt.id} value={prompt.id}>
              {prompt.name}
            </option>
          ))}
        </select>

        <label htmlFor={`${ids}-text`}>System prompt</label>
        <div>
          <textarea
            id={`${ids}-text`}
            className="settings-form__script"
            rows={8}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setPicked(CUSTOM);
            }}
          />
          <p className="settings-form__hint">
            {props.pathHasSystemMessage
              ? 'This conversation has a system message of its own, which the model reads instead of this.'
              : text === ''
                ? 'Empty: no system prompt is sent.'
                : 'Sent first in every request, as the system message.'}
          </p>
        </div>

        <label htmlFor={`${ids}-name`}>Save as</label>
        <div className="settings-form__row">
          <input
            id={`${ids}-name`}
            value={saveName}
            placeholder="a name for the prompt library"
            onChange={(event) => setSaveName(event.target.value)}
          />
          <button
            type="button"
            className="button button--small"
            disabled={saveName.trim() === '' || text === ''}
            onClick={() => void saveToLibrary()}
          >
            Save to library
          </button>
        </div>

        <span className="settings-form__label">Context</span>
        <div>
          <label className="settings-form__check">
            <input
              type="checkbox"
              checked={autoCompact}
              onChange={(event) => setAutoCompact(event.target.checked)}
            />
            Auto-compact: when a turn would not fit the model’s window, summarise the oldest messages first
            (shown, and undoable)
          </label>
        </div>
      </div>
      <div className="settings-form__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
