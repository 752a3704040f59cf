/**
 * The bubblewrap command line for a session. The sandbox starts from an empty root and binds in only what
 * a shell and the usual tools need, read-only; the workspace is the one writable host path. Nothing else
 * of the host's file system exists inside: not the real home, not our data or config dirs, not /root,
 * /var or /srv. Paths that must stay hidden but sit under something bound (a data dir inside the workspace,
 * ~/.ssh inside a workspace that is the home dir) are covered by an empty tmpfs or /dev/null.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isWithin } from './path-within.ts';
import { SANDBOX_HOME, sandboxEnvironment } from './sandbox-environment.ts';
import { bwrapNetworkArguments } from './sandbox-network.ts';

export type PathKind = 'directory' | 'file' | 'symlink' | 'missing';

/** The file system questions the builder asks, so tests can answer them. */
export interface FileProbe {
  kind(path: string): PathKind;
  readlink(path: string): string;
  /** The path with every symlink resolved, or null when it does not resolve. */
  realpath(path: string): string | null;
}

export const realFileProbe: FileProbe = {
  kind(path) {
    try {
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) return 'symlink';
      return stats.isDirectory() ? 'directory' : 'file';
    } catch {
      return 'missing';
    }
  },
  readlink: (path) => readlinkSync(path),
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return null;
    }
  },
};

/** Top-level system folders; on merged-/usr systems most are symlinks into /usr and stay symlinks. */
const SYSTEM_TREES = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt'];

/**
 * What of /etc programs need: users and groups for `ls -l` and `id`, name resolution, TLS roots, the
 * dynamic linker's cache, Debian's alternatives symlinks (awk, editor), time zone and MIME data. Files
 * that may hold credentials (/etc/shadow, npmrc, pip.conf, environment, ssh host keys) are not here.
 */
const ETC_ENTRIES = [
  'passwd',
  'group',
  'nsswitch.conf',
  'hosts',
  'host.conf',
  'resolv.conf',
  'gai.conf',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'pki',
  'alternatives',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'timezone',
  'os-release',
  'debian_version',
  'mime.types',
  'inputrc',
  'terminfo',
  'protocols',
  'services',
  'magic',
  'magic.mime',
];

export interface BwrapArgumentsOptions {
  workspace: string;
  network: boolean;
  hiddenPaths: readonly string[];
  environment?: Record<string, string> | undefined;
  /** Size of each writable tmpfs (/tmp, /var/tmp, the home); the kernel's default (half the RAM) when absent. */
  tmpfsBytes?: number | undefined;
  probe?: FileProbe;
}

/** The sandbox's HOME: a private tmpfs, moved into /tmp if the workspace overlaps the usual place. */
export function sandboxHome(workspace: string): string {
  return isWithin(SANDBOX_HOME, workspace) || isWithin(workspace, SANDBOX_HOME) ? '/tmp/home' : SANDBOX_HOME;
}

/**
 * Arguments for `bwrap` up to (not including) the command to run inside.
 *
 * @example
 * spawn('bwrap', [...bwrapArguments({ workspace: '/work/p', network: false, hiddenPaths: [] }), 'bash'])
 */
export function bwrapArguments(options: BwrapArgumentsOptions): string[] {
  const probe = options.probe ?? realFileProbe;
  // Bound where it really is: masks below sit at resolved paths, so a workspace reached through a symlink
  // must be bound at its resolved path too, or the masks would miss it (issue 7, item 4).
  const workspace = probe.realpath(resolve(options.workspace)) ?? resolve(options.workspace);
  const home = sandboxHome(workspace);
  // Always a network namespace of its own (--unshare-all); with network on, sandbox-network.ts gives it
  // an interface through a user-mode helper (issue 7, item 3). Never --share-net.
  const args: string[] = ['--unshare-all'];
  if (options.network) args.push(...bwrapNetworkArguments());
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv');
  for (const [name, value] of Object.entries(sandboxEnvironment(home, options.environment))) {
    args.push('--setenv', name, value);
  }

  const bound: string[] = [];
  for (const tree of SYSTEM_TREES) {
    const kind = probe.kind(tree);
    if (kind === 'symlink') args.push('--symlink', probe.readlink(tree), tree);
    else if (kind === 'directory') {
      args.push('--ro-bind', tree, tree);
      bound.push(tree);
    }
  }
  for (const entry of ETC_ENTRIES) {
    const path = `/etc/${entry}`;
    // With network on the sandbox gets its own resolv.conf (the helper's resolver), not the host's.
    if (options.network && entry === 'resolv.conf') continue;
    if (probe.kind(path) === 'missing') continue;
    // -try: a symlink whose target is missing (resolv.conf on some systems) is skipped, not fatal.
    args.push('--ro-bind-try', path, path);
    bound.push(path);
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  // `--size` applies to the next --tmpfs only (bwrap 0.7+), so it is repeated for each.
  const size = options.tmpfsBytes === undefined ? [] : ['--size', String(options.tmpfsBytes)];
  args.push(...size, '--tmpfs', '/tmp', ...size, '--tmpfs', '/var/tmp');
  args.push('--perms', '0700', ...size, '--tmpfs', home);
  args.push('--bind', workspace, workspace);
  bound.push(workspace);

  // A hidden path that is a symlink is hidden where it points, which is where its content is visible.
  const hiddenTargets = options.hiddenPaths.map((path) => probe.realpath(resolve(path)));
  for (const hidden of new Set(hiddenTargets)) {
    if (hidden === null || !bound.some((source) => isWithin(hidden, source))) continue;
    const kind = probe.kind(hidden);
    if (kind === 'directory') args.push('--tmpfs', hidden, '--remount-ro', hidden);
    else if (kind === 'file') args.push('--ro-bind', '/dev/null', hidden);
  }
  args.push('--chdir', workspace, '--remount-ro', '/');
  return args;
}
