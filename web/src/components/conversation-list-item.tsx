import { useState } from 'react';
import type { ConversationSummary } from '../api/client.ts';
import { conversationTitle, formatCount, formatShortDate } from '../lib/format.ts';
import { InlineEdit } from './inline-edit.tsx';

export function ConversationListItem(props: {
  summary: ConversationSummary;
  current: boolean;
  onOpen: () => void;
  onUpdate: (patch: { title?: string; description?: string }) => Promise<boolean>;
  onDelete: () => void;
}) {
  const { summary } = props;
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="conversation-item is-editing">
        <InlineEdit
          className="conversation-item__title-field"
          value={summary.title}
          label="Title"
          placeholder="Untitled conversation"
          onSave={(title) => props.onUpdate({ title })}
        />
        <InlineEdit
          className="conversation-item__description-field"
          value={summary.description}
          label="Description"
          placeholder="Add a description"
          multiline
          onSave={(description) => props.onUpdate({ description })}
        />
        <div className="conversation-item__edit-buttons">
          <button type="button" className="button button--small" onClick={() => setEditing(false)}>
            Done
          </button>
          <button type="button" className="button button--small button--danger" onClick={props.onDelete}>
            Delete conversation
          </button>
        </div>
      </li>
    );
  }
  return (
    <li className={`conversation-item${props.current ? ' is-current' : ''}`}>
      <button
        type="button"
        className="conversation-item__open"
        aria-current={props.current ? 'page' : undefined}
        onClick={props.onOpen}
      >
        <span className="conversation-item__title">{conversationTitle(summary.title)}</span>
        {summary.description ? (
          <span className="conversation-item__description">{summary.description}</span>
        ) : null}
        <span className="conversation-item__meta">
          {formatShortDate(summary.updatedAt)} · {formatCount(summary.messageCount)}{' '}
          {summary.messageCount === 1 ? 'message' : 'messages'}
        </span>
      </button>
      <button
        type="button"
        className="conversation-item__edit"
        aria-label={`Edit title and description of ${conversationTitle(summary.title)}`}
        title="Edit title and description"
        onClick={() => setEditing(true)}
      >
        ✎
      </button>
    </li>
  );
}
