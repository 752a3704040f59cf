/**
 * The workspace as the sandbox will bind it: every symlink resolved, then judged by the workspace rules
 * (src/core/workspace-rules.ts) against the resolved home and protected dirs. Binding the path as given
 * while the masks sit at resolved paths is how a symlinked workspace showed the home's secrets (issue 7,
 * item 4), so every backend binds what this returns.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { WorkspaceRefusedError } from '../core/errors.ts';
import {
  type AccountWorkspaceRoots,
  isWithinFolder,
  judgeAccountWorkspace,
  judgeWorkspace,
  normalizePath,
  type ProtectedDir,
  type WorkspaceRuleContext,
} from '../core/workspace-rules.ts';
import { type MountEntry, mountAliases, readMounts } from './mount-aliases.ts';

export interface WorkspacePlaces {
  /** The person's home (a test passes a fake one). */
  home: string;
  /** Folders no workspace may be or hold: our data and config dirs, the sandbox's hidden paths. */
  protectedDirs: readonly ProtectedDir[];
  /** Where workspaces inside a protected dir may be; absent: anywhere inside (see judgeWorkspace). */
  workspaceRoots?: readonly string[];
  /** This machine's mounts (tests pass their own); read from /proc/self/mountinfo by default. */
  mounts?: readonly MountEntry[];
  /**
   * On a team server, the account's own folder, which a member's workspace must lie in (judgeAccountWorkspace);
   * absent for admins and single-token mode.
   */
  account?: AccountWorkspaceRoots;
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
  const context: WorkspaceRuleContext = {
    home: resolveExisting(places.home),
    protectedDirs: places.protectedDirs.map((dir) => ({ ...dir, path: resolveExisting(dir.path) })),
    ...(places.workspaceRoots === undefined
      ? {}
      : { workspaceRoots: places.workspaceRoots.map(resolveExisting) }),
  };
  // A relative path would be resolved against the server's working directory, which nobody chose.
  const resolved = isAbsolute(workspace) ? resolveExisting(workspace) : workspace;
  const account =
    places.account === undefined
      ? undefined
      : {
          accountsRoot: resolveExisting(places.account.accountsRoot),
          own: resolveExisting(places.account.own),
        };
  const judge = (path: string) => {
    const verdict = judgeWorkspace(path, context);
    return verdict.allowed && account !== undefined ? judgeAccountWorkspace(path, account) : verdict;
  };
  // Another name of the same folder may lie anywhere (a volume mounted twice); it is refused only when it
  // shows what the rules refuse, another account's folder included.
  const judgeAlias = (path: string) => {
    const verdict = judgeWorkspace(path, context);
    if (!verdict.allowed || account === undefined) return verdict;
    const inAccounts = isWithinFolder(normalizePath(path), normalizePath(account.accountsRoot));
    return inAccounts ? judgeAccountWorkspace(path, account) : verdict;
  };
  const verdict = judge(resolved);
  if (!verdict.allowed) {
    const shown =
      resolved === workspace || resolved === resolve(workspace)
        ? verdict.reason
        : `${workspace} → ${verdict.reason}`;
    throw new WorkspaceRefusedError(workspace, shown);
  }
  refuseMountAliases(workspace, resolved, judgeAlias, places.mounts ?? readMounts());
  return resolved;
}

/**
 * A bind mount is an alias realpath cannot see: the workspace, or a mount inside it (the sandbox binds
 * recursively), may show the home, our data dir or `/` under another name. Each other name of the workspace
 * and of every mount inside it must pass the same rules.
 */
function refuseMountAliases(
  workspace: string,
  resolved: string,
  judge: (path: string) => ReturnType<typeof judgeWorkspace>,
  mounts: readonly MountEntry[],
): void {
  const inside = mounts
    .map((entry) => entry.mountPoint)
    .filter((point) => point.startsWith(resolved === '/' ? '/' : `${resolved}/`));
  for (const shown of [resolved, ...new Set(inside)]) {
    for (const alias of mountAliases(shown, mounts)) {
      const verdict = judge(alias);
      if (verdict.allowed) continue;
      const where = shown === resolved ? workspace : `${shown} (a mount inside ${workspace})`;
      throw new WorkspaceRefusedError(
        workspace,
        `${where} shows the same folder as ${alias} through a bind mount → ${verdict.reason}`,
      );
    }
  }
}

/** A session's hidden paths (our data and config dirs) as dirs no workspace may be or hold. */
export function hiddenDirs(hiddenPaths: readonly string[]): ProtectedDir[] {
  return hiddenPaths.map((path) => ({
    path,
    what: 'a folder the sandbox keeps hidden (our data or config)',
  }));
}
