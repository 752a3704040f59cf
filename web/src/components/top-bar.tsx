import type { Conversation } from '../api/client.ts';
import type { ConnectionState } from '../api/live-events.ts';
import { conversationTitle } from '../lib/format.ts';
import { InlineEdit } from './inline-edit.tsx';

export function TopBar(props: {
  conversation: Conversation | null;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
  onRename: (title: string) => Promise<boolean>;
  showDeleted: boolean;
  onShowDeleted: (show: boolean) => void;
  connection: ConnectionState;
  /** The workspace panel (issue 8 item 4): its files and changes, in the inspector's place. */
  workspaceOpen: boolean;
  onToggleWorkspace: () => void;
}) {
  const { conversation } = props;
  return (
    <header className="top-bar">
      <button
        type="button"
        className="button button--ghost top-bar__menu"
        aria-label={props.sidebarOpen ? 'Hide conversations' : 'Show conversations'}
        aria-expanded={props.sidebarOpen}
        aria-controls="sidebar"
        onClick={props.onToggleSidebar}
      >
        ☰
      </button>
      <div className="top-bar__title">
        {/* One <h1> per screen (issue 11): the conversation's title, read as the page's heading; the field
            beside it is the title as a control. */}
        {conversation === null ? (
          <h1 className="top-bar__app-name">ModelProgrammer</h1>
        ) : (
          <h1 className="visually-hidden">{conversationTitle(conversation.title)}</h1>
        )}
        {conversation === null ? null : (
          <InlineEdit
            key={conversation.id}
            className="top-bar__title-edit"
            value={conversation.title}
            label="Conversation title"
            placeholder="Untitled conversation"
            onSave={props.onRename}
          />
        )}
      </div>
      {props.connection === 'reconnecting' || props.connection === 'closed' ? (
        <span className="badge badge--warning" role="status" title="Live updates from other tabs are paused">
          {props.connection === 'reconnecting' ? 'Reconnecting…' : 'Offline'}
        </span>
      ) : null}
      {conversation !== null ? (
        <button
          type="button"
          className="button button--small top-bar__workspace"
          aria-pressed={props.workspaceOpen}
          title="The workspace’s files and what changed in them"
          onClick={props.onToggleWorkspace}
        >
          Files
        </button>
      ) : null}
      {conversation !== null ? (
        <label className="top-bar__toggle">
          <input
            type="checkbox"
            checked={props.showDeleted}
            onChange={(event) => props.onShowDeleted(event.target.checked)}
          />
          <span className="wide-only">Show </span>deleted
        </label>
      ) : null}
    </header>
  );
}
