import { useEffect, useState } from 'react';
import { type WorkspaceFile, workspaceApi } from '../api/workspace-api.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { HighlightedCode } from './highlighted-code.tsx';

/** The file chosen in the tree, read-only (edits are proposals); read again when the workspace changes. */
export function WorkspaceFileView(props: { conversationId: string; path: string; filesVersion: number }) {
  const { conversationId, path, filesVersion } = props;
  const [file, setFile] = useState<
    { path: string; value: WorkspaceFile } | { path: string; error: string } | null
  >(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `filesVersion` is the refetch trigger.
  useEffect(() => {
    let current = true;
    workspaceApi.file(conversationId, path).then(
      (value) => {
        if (current) setFile({ path, value });
      },
      (error: unknown) => {
        if (current) setFile({ path, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, path, filesVersion]);

  const shown = file?.path === path ? file : null;
  return (
    <section className="workspace-file" aria-label={`File ${path}`}>
      <h3 className="workspace-file__path">
        <code>
          <bdi>{path}</bdi>
        </code>
      </h3>
      {shown === null ? (
        <p className="muted">Loading…</p>
      ) : 'error' in shown ? (
        <p className="workspace-panel__error">{shown.error}</p>
      ) : shown.value.content === null ? (
        <p className="muted">A binary file ({formatBytes(shown.value.size)}): its bytes are not shown.</p>
      ) : (
        <>
          {shown.value.truncated ? (
            <p className="muted">Only the start of this {formatBytes(shown.value.size)} file is shown.</p>
          ) : null}
          <HighlightedCode path={path} text={shown.value.content} />
        </>
      )}
    </section>
  );
}
