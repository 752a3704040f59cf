import { useCallback, useEffect, useRef, useState } from 'react';
import { type WorkspaceTree as TreeLevel, workspaceApi } from '../api/workspace-api.ts';

type Level = { state: 'loading' } | { state: 'ready'; tree: TreeLevel } | { state: 'failed'; reason: string };

/**
 * The workspace's files, one folder at a time (each opened folder is one GET), read again when the workspace
 * changes. Folders are buttons that open and close; a file is a button that shows it beside the tree.
 */
export function WorkspaceTree(props: {
  conversationId: string;
  filesVersion: number;
  selected: string | null;
  onSelect: (path: string) => void;
}) {
  const { conversationId, filesVersion } = props;
  const [levels, setLevels] = useState<ReadonlyMap<string, Level>>(() => new Map());
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(['']));
  const openRef = useRef(open);
  openRef.current = open;

  const load = useCallback(
    (dir: string, isCurrent: () => boolean) => {
      setLevels((known) => (known.has(dir) ? known : new Map(known).set(dir, { state: 'loading' })));
      workspaceApi.tree(conversationId, dir).then(
        (tree) => {
          if (isCurrent()) setLevels((known) => new Map(known).set(dir, { state: 'ready', tree }));
        },
        (error: unknown) => {
          if (!isCurrent()) return;
          const reason = error instanceof Error ? error.message : String(error);
          setLevels((known) => new Map(known).set(dir, { state: 'failed', reason }));
        },
      );
    },
    [conversationId],
  );

  // Every open folder again when the files may have changed (a step's checkpoint, a restore).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `filesVersion` is the refetch trigger.
  useEffect(() => {
    let current = true;
    for (const dir of openRef.current) load(dir, () => current);
    return () => {
      current = false;
    };
  }, [load, filesVersion]);

  const toggle = (dir: string) => {
    const opening = !open.has(dir);
    setOpen((known) => {
      const next = new Set(known);
      if (opening) next.add(dir);
      else next.delete(dir);
      return next;
    });
    if (opening) load(dir, () => true);
  };

  return (
    <nav className="workspace-tree" aria-label="Workspace files">
      <Folder
        dir=""
        levels={levels}
        open={open}
        onToggle={toggle}
        selected={props.selected}
        onSelect={props.onSelect}
      />
    </nav>
  );
}

function Folder(props: {
  dir: string;
  levels: ReadonlyMap<string, Level>;
  open: ReadonlySet<string>;
  onToggle: (dir: string) => void;
  selected: string | null;
  onSelect: (path: string) => void;
}) {
  const level = props.levels.get(props.dir);
  if (level === undefined || level.state === 'loading')
    return <p className="muted workspace-tree__note">Loading…</p>;
  if (level.state === 'failed') return <p className="workspace-panel__error">{level.reason}</p>;
  const { entries, truncated } = level.tree;
  if (entries.length === 0) return <p className="muted workspace-tree__note">Empty folder.</p>;
  const sorted = [...entries].sort(
    (a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || a.name.localeCompare(b.name),
  );
  return (
    <ul className="workspace-tree__list">
      {sorted.map((entry) => (
        <li key={entry.path}>
          {entry.kind === 'dir' ? (
            <>
              <button
                type="button"
                className="workspace-tree__entry workspace-tree__entry--dir"
                aria-expanded={props.open.has(entry.path)}
                onClick={() => props.onToggle(entry.path)}
              >
                <span aria-hidden="true">{props.open.has(entry.path) ? '▾' : '▸'} </span>
                {entry.name}/
              </button>
              {props.open.has(entry.path) ? <Folder {...props} dir={entry.path} /> : null}
            </>
          ) : entry.kind === 'file' ? (
            <button
              type="button"
              className="workspace-tree__entry"
              aria-current={props.selected === entry.path ? 'true' : undefined}
              onClick={() => props.onSelect(entry.path)}
            >
              {entry.name}
            </button>
          ) : (
            <span className="workspace-tree__entry workspace-tree__entry--other">
              {entry.name}
              <span className="muted"> ({entry.kind === 'symlink' ? 'symbolic link' : 'not a file'})</span>
            </span>
          )}
        </li>
      ))}
      {truncated ? <li className="muted workspace-tree__note">More entries than can be listed.</li> : null}
    </ul>
  );
}
