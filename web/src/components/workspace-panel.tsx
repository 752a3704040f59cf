import { type KeyboardEvent, useId, useState } from 'react';
import { useFilesVersion } from '../state/workspace-context.tsx';
import { WorkspaceChanges } from './workspace-changes.tsx';
import { WorkspaceFileView } from './workspace-file-view.tsx';
import { WorkspaceTree } from './workspace-tree.tsx';

type Tab = 'files' | 'changes';
const TABS: { id: Tab; label: string }[] = [
  { id: 'files', label: 'Files' },
  { id: 'changes', label: 'Changes' },
];

/**
 * The workspace in view (issue 8 item 4): its files (tree and the chosen file, read-only) and its changes since
 * the conversation's first checkpoint. Shown in the inspector's place; it follows the live events.
 */
export function WorkspacePanel(props: { conversationId: string }) {
  const ids = useId();
  const filesVersion = useFilesVersion();
  const [tab, setTab] = useState<Tab>('files');
  const [selected, setSelected] = useState<string | null>(null);

  // The tabs pattern: arrows move between tabs, and the chosen tab alone is in the Tab order.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const index = TABS.findIndex((candidate) => candidate.id === tab);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (next === undefined) return;
    setTab(next.id);
    document.getElementById(`${ids}-tab-${next.id}`)?.focus();
  };

  return (
    <div className="workspace-panel">
      <div
        className="workspace-panel__tabs"
        role="tablist"
        aria-label="Workspace views"
        onKeyDown={onKeyDown}
      >
        {TABS.map((candidate) => (
          <button
            key={candidate.id}
            id={`${ids}-tab-${candidate.id}`}
            type="button"
            role="tab"
            className="workspace-panel__tab"
            aria-selected={tab === candidate.id}
            aria-controls={`${ids}-panel-${candidate.id}`}
            tabIndex={tab === candidate.id ? 0 : -1}
            onClick={() => setTab(candidate.id)}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      <div
        id={`${ids}-panel-files`}
        role="tabpanel"
        aria-labelledby={`${ids}-tab-files`}
        className="workspace-panel__files"
        hidden={tab !== 'files'}
      >
        <WorkspaceTree
          conversationId={props.conversationId}
          filesVersion={filesVersion}
          selected={selected}
          onSelect={setSelected}
        />
        {selected === null ? (
          <p className="muted workspace-panel__hint">Choose a file to read it.</p>
        ) : (
          <WorkspaceFileView
            conversationId={props.conversationId}
            path={selected}
            filesVersion={filesVersion}
          />
        )}
      </div>
      <div
        id={`${ids}-panel-changes`}
        role="tabpanel"
        aria-labelledby={`${ids}-tab-changes`}
        hidden={tab !== 'changes'}
      >
        {/* Asked for only when shown: the diff since the first checkpoint can be long. */}
        {tab === 'changes' ? (
          <WorkspaceChanges conversationId={props.conversationId} filesVersion={filesVersion} />
        ) : null}
      </div>
    </div>
  );
}
