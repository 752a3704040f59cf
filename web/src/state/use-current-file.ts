import { useEffect, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import { workspaceApi } from '../api/workspace-api.ts';

/** The file as it is in the workspace now, for the diff of a proposed write (issue 8 item 1). */
export type CurrentFile =
  | { state: 'loading' }
  | { state: 'text'; content: string; truncated: boolean }
  | { state: 'missing' }
  | { state: 'binary' }
  | { state: 'unknown'; reason: string };

/**
 * Asks the folder first and reads the file only when the folder lists it: a new file is the usual case for a
 * write, and a 404 for it would be an error in the browser's console for nothing.
 */
export function useCurrentFile(conversationId: string, path: string, enabled: boolean): CurrentFile {
  const [file, setFile] = useState<CurrentFile>({ state: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setFile({ state: 'loading' });
    const relative = path.replace(/^(\.\/)+/, '');
    const slash = relative.lastIndexOf('/');
    const dir = slash === -1 ? '' : relative.slice(0, slash);
    const name = relative.slice(slash + 1);
    (async (): Promise<CurrentFile> => {
      if (relative.startsWith('/') || relative.split('/').includes('..'))
        return { state: 'unknown', reason: 'the path is not inside the workspace as written' };
      try {
        const tree = await workspaceApi.tree(conversationId, dir);
        const listed = tree.entries.some((entry) => entry.name === name);
        if (!listed && !tree.truncated) return { state: 'missing' };
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) return { state: 'missing' };
        throw error;
      }
      const read = await workspaceApi.file(conversationId, relative);
      if (read.content === null) return { state: 'binary' };
      return { state: 'text', content: read.content, truncated: read.truncated };
    })().then(
      (value) => {
        if (current) setFile(value);
      },
      (error: unknown) => {
        if (current)
          setFile({ state: 'unknown', reason: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, path, enabled]);
  return file;
}
