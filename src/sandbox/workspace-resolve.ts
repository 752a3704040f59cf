/**
 * The workspace as the sandbox will bind it: every symlink resolved, then judged by the workspace rules
 * (src/core/workspace-rules.ts) against the resolved home and protected dirs. Binding the path as given
 * while the masks sit at resolved paths is how a symlinked workspace showed the home's secrets (issue 7,
 * item 4), so every backend binds what this returns.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { WorkspaceRefusedError } from '../core/errors.ts';
import { judgeWorkspace, type ProtectedDir } from '../core/workspace-rules.ts';

export interface WorkspacePlaces {
  /** The person's home (a test passes a fake one). */
  home: string;
  /** Folders no workspace may be or hold: our data and config dirs, the sandbox's hidden paths. */
  protectedDirs: readonly ProtectedDir[];
  /** Where workspaces inside a protected dir may be; absent: anywhere inside (see judgeWorkspace). */
  workspaceRoots?: readonly string[];
}

/** The path with symlinks resolved as far as it exists; the missing rest is appended as written. */
export function resolveExisting(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(resolveExisting(parent), basename(absolute));
  }
}

/**
 * @example
 * resolveWorkspace('/home/me/link-to-project', { home: '/home/me', protectedDirs: [] }); // '/home/me/src/project'
 * resolveWorkspace('/home/me/..', { home: '/home/me', protectedDirs: [] }); // throws WorkspaceRefusedError
 */
export function resolveWorkspace(workspace: string, places: WorkspacePlaces): string {
  const resolved = resolveExisting(workspace);
  const verdict = judgeWorkspace(resolved, {
    home: resolveExisting(places.home),
    protectedDirs: places.protectedDirs.map((dir) => ({ ...dir, path: resolveExisting(dir.path) })),
    ...(places.workspaceRoots === undefined
      ? {}
      : { workspaceRoots: places.workspaceRoots.map(resolveExisting) }),
  });
  if (!verdict.allowed) {
    const shown = resolved === resolve(workspace) ? verdict.reason : `${workspace} → ${verdict.reason}`;
    throw new WorkspaceRefusedError(workspace, shown);
  }
  return resolved;
}

/** A session's hidden paths (our data and config dirs) as dirs no workspace may be or hold. */
export function hiddenDirs(hiddenPaths: readonly string[]): ProtectedDir[] {
  return hiddenPaths.map((path) => ({
    path,
    what: 'a folder the sandbox keeps hidden (our data or config)',
  }));
}
