/**
 * Which folders may be a workspace (issue 7, item 4). The workspace is the one writable host folder of a
 * sandbox, so everything under it is exposed to the commands a model writes: a workspace that holds the
 * home, our data dir (the database) or config dir (API keys), or the system's own trees, exposes them.
 * Pure: the caller resolves every path (symlinks included) first, so a symlink cannot dress a refused
 * folder as an accepted one (src/sandbox/workspace-resolve.ts).
 *
 * The rules, in order:
 * - `/` is refused;
 * - the home folder and any folder that holds it are refused (they hold ~/.ssh and other credentials);
 * - a protected dir (our data and config dirs) and any folder that holds one are refused;
 * - a folder inside a protected dir is refused unless it lies in one of `workspaceRoots` (managed
 *   workspaces live in `<data dir>/workspaces/<conversation>`: they hold nothing but their own files);
 * - otherwise a folder inside the home is accepted (~/projects/x);
 * - system trees are refused with everything in them (/usr, /etc, /var, /proc, /run, …, and /root when it is
 *   not the home); folders that only gather other folders (/tmp, /opt, /srv, /mnt, /media, /home) are
 *   refused themselves, while a project folder inside them is accepted (/srv/site, /tmp/x).
 */

/** Trees of the system itself: refused, and every folder inside them too. */
export const SYSTEM_TREES = [
  '/usr',
  '/etc',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var',
  '/snap',
] as const;

/** Folders that gather unrelated folders (other people's, other programs'): refused as a whole only. */
export const GATHERING_FOLDERS = ['/tmp', '/opt', '/srv', '/mnt', '/media', '/home'] as const;

export interface ProtectedDir {
  path: string;
  /** What it is, for the refusal: "our data dir (it holds the database)". */
  what: string;
}

export interface WorkspaceRuleContext {
  /** The person's home folder, resolved. */
  home: string;
  /** Folders a workspace may neither be nor hold, resolved. */
  protectedDirs: readonly ProtectedDir[];
  /**
   * Folders inside a protected dir where workspaces may be (resolved). Absent: any folder inside a protected
   * dir is accepted (a sandbox backend, which does not know which hidden path holds managed workspaces).
   */
  workspaceRoots?: readonly string[];
}

export type WorkspaceVerdict = { allowed: true } | { allowed: false; reason: string };

/** An absolute path with `.`, `..`, doubled and trailing slashes removed (no file system access). */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Whether `path` is `folder` or lies under it; both absolute and normalised. */
export function isWithinFolder(path: string, folder: string): boolean {
  return path === folder || folder === '/' || path.startsWith(`${folder}/`);
}

function join(folder: string, ...names: string[]): string {
  return normalizePath([folder, ...names].join('/'));
}

function refuse(workspace: string, why: string, instead: string): WorkspaceVerdict {
  return { allowed: false, reason: `${workspace} ${why}; ${instead}` };
}

/**
 * @example
 * judgeWorkspace('/home/me', { home: '/home/me', protectedDirs: [] });
 * // { allowed: false, reason: '/home/me is your home folder, which holds ~/.ssh …; choose a project folder inside it, e.g. /home/me/projects/x' }
 */
export function judgeWorkspace(workspace: string, context: WorkspaceRuleContext): WorkspaceVerdict {
  const home = normalizePath(context.home);
  const example = `choose a project folder inside your home, e.g. ${join(home, 'projects', 'x')}`;
  if (!workspace.startsWith('/')) return refuse(workspace, 'is not an absolute path', example);
  const path = normalizePath(workspace);
  if (path === '/') {
    return refuse(path, 'is the root of the file system (with /proc, /run and every user’s files)', example);
  }
  if (path === home) {
    return refuse(
      path,
      'is your home folder, which holds ~/.ssh and your other credentials',
      `choose a project folder inside it, e.g. ${join(home, 'projects', 'x')}`,
    );
  }
  if (isWithinFolder(home, path)) {
    return refuse(path, `holds your home folder ${home} (with ~/.ssh and your other credentials)`, example);
  }
  for (const dir of context.protectedDirs) {
    const protectedPath = normalizePath(dir.path);
    if (path === protectedPath) return refuse(path, `is ${dir.what}`, example);
    if (isWithinFolder(protectedPath, path)) {
      return refuse(
        path,
        `holds ${dir.what} at ${protectedPath}`,
        'choose a folder that does not contain it',
      );
    }
    const roots = context.workspaceRoots;
    if (isWithinFolder(path, protectedPath) && roots !== undefined) {
      const inRoot = (root: string): boolean =>
        isWithinFolder(path, normalizePath(root)) && path !== normalizePath(root);
      if (!roots.some(inRoot)) {
        return refuse(path, `is inside ${dir.what} at ${protectedPath}`, example);
      }
    }
  }
  if (isWithinFolder(path, home)) return { allowed: true };
  const tree = SYSTEM_TREES.find((system) => isWithinFolder(path, system));
  if (tree !== undefined) {
    return refuse(path, `is ${path === tree ? 'a system tree' : `inside the system tree ${tree}`}`, example);
  }
  if (isWithinFolder(path, '/root')) {
    return refuse(path, 'is in the home folder of root, which is not your home', example);
  }
  if ((GATHERING_FOLDERS as readonly string[]).includes(path)) {
    return refuse(
      path,
      'holds the folders of other users and programs',
      `choose one project folder inside it, e.g. ${join(path, 'my-project')}, or ${example.replace(/^choose /, '')}`,
    );
  }
  return { allowed: true };
}

/**
 * On a team server every account's workspaces live under its own folder (issue 10 item 5):
 * `<accounts root>/<account id>`. A member or reviewer may choose a workspace only there; another account's
 * folder, and anything outside, is refused. Admins, and the single-token mode's person, are not confined
 * (the caller passes no roots for them). Judged after the other rules, on the resolved path.
 */
export interface AccountWorkspaceRoots {
  /** Where every account's folder lies, resolved. */
  accountsRoot: string;
  /** This account's folder, resolved: `<accountsRoot>/<account id>`. */
  own: string;
}

/**
 * @example
 * judgeAccountWorkspace('/data/workspaces/accounts/a2/x', { accountsRoot: '/data/workspaces/accounts', own: '/data/workspaces/accounts/a1' });
 * // { allowed: false, reason: '/data/workspaces/accounts/a2/x is in another account’s workspace folder; choose a folder inside yours, /data/workspaces/accounts/a1' }
 */
export function judgeAccountWorkspace(workspace: string, roots: AccountWorkspaceRoots): WorkspaceVerdict {
  const path = normalizePath(workspace);
  const own = normalizePath(roots.own);
  const all = normalizePath(roots.accountsRoot);
  if (isWithinFolder(path, own)) return { allowed: true };
  const instead = `choose a folder inside yours, ${own}`;
  if (isWithinFolder(path, all) && path !== all) {
    return refuse(path, 'is in another account’s workspace folder', instead);
  }
  return refuse(path, 'is outside your workspace folder on this team server', instead);
}

/**
 * Of the paths kept from sandboxes (our data and config dirs, the home's credential folders), those that lie
 * inside `workspace`: the only ones a confined file operation there could reach. A managed workspace lives
 * under the data dir, so hiding every path that holds it would hide the workspace from itself.
 *
 * @example
 * hiddenPathsWithin('/data/workspaces/c1', ['/data', '/home/me/.ssh']) // []
 * hiddenPathsWithin('/home/me/p', ['/home/me/p/.mp-data'])              // ['/home/me/p/.mp-data']
 */
export function hiddenPathsWithin(workspace: string, hiddenPaths: readonly string[]): string[] {
  const root = normalizePath(workspace);
  return hiddenPaths.filter((path) => {
    const hidden = normalizePath(path);
    return hidden !== root && isWithinFolder(hidden, root);
  });
}
