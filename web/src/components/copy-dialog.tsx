import { useEffect, useId, useRef, useState } from 'react';
import type { ConversationSummary } from '../api/client.ts';
import { conversationTitle, formatCount } from '../lib/format.ts';

/** Picks the conversation to copy messages into; copies land after its current last message. */
export function CopyDialog(props: {
  count: number;
  currentId: string | null;
  conversations: ConversationSummary[] | null;
  onChoose: (conversationId: string | null) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement | null>(null);
  const headingId = useId();
  const [filter, setFilter] = useState('');

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);

  const needle = filter.trim().toLowerCase();
  const choices = (props.conversations ?? []).filter(
    (summary) =>
      needle === '' ||
      summary.title.toLowerCase().includes(needle) ||
      summary.description.toLowerCase().includes(needle),
  );

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={headingId} onClose={props.onClose}>
      <h2 id={headingId} className="dialog__title">
        Copy {props.count === 1 ? 'the message' : `${formatCount(props.count)} messages`} to…
      </h2>
      <input
        className="dialog__filter"
        type="search"
        aria-label="Filter conversations"
        placeholder="Filter conversations"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <ul className="dialog__list">
        <li>
          <button type="button" className="dialog__choice" onClick={() => props.onChoose(null)}>
            <span className="dialog__choice-title">+ A new conversation</span>
          </button>
        </li>
        {choices.map((summary) => (
          <li key={summary.id}>
            <button type="button" className="dialog__choice" onClick={() => props.onChoose(summary.id)}>
              <span className="dialog__choice-title">
                {conversationTitle(summary.title)}
                {summary.id === props.currentId ? ' (this one)' : ''}
              </span>
              <span className="dialog__choice-meta">
                {formatCount(summary.messageCount)} {summary.messageCount === 1 ? 'message' : 'messages'}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="dialog__buttons">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
