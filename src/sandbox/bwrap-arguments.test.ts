import { describe, expect, it } from 'vitest';
import { bwrapArguments, type FileProbe, type PathKind, sandboxHome } from './bwrap-arguments.ts';

/** A merged-/usr Debian: /bin, /lib… are symlinks into /usr. */
function fakeProbe(extra: Record<string, PathKind> = {}): FileProbe {
  const kinds: Record<string, PathKind> = {
    '/usr': 'directory',
    '/bin': 'symlink',
    '/sbin': 'symlink',
    '/lib': 'symlink',
    '/lib64': 'symlink',
    '/opt': 'directory',
    '/etc/passwd': 'file',
    '/etc/alternatives': 'directory',
    '/etc/shadow': 'file',
    '/etc/npmrc': 'file',
    ...extra,
  };
  return {
    kind: (path) => kinds[path] ?? 'missing',
    readlink: (path) => `usr${path}`,
    realpath: (path) => path,
  };
}

/** The pairs of `--option a b` in order, as strings, for readable assertions. */
function operations(args: string[]): string[] {
  const twoOperands = new Set(['--ro-bind', '--ro-bind-try', '--bind', '--symlink', '--setenv']);
  const oneOperand = new Set([
    '--tmpfs',
    '--proc',
    '--dev',
    '--chdir',
    '--remount-ro',
    '--perms',
    '--cap-drop',
  ]);
  const result: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const option = args[index]!;
    if (twoOperands.has(option)) {
      result.push(`${option} ${args[index + 1]} ${args[index + 2]}`);
      index += 2;
    } else if (oneOperand.has(option)) {
      result.push(`${option} ${args[index + 1]}`);
      index += 1;
    } else result.push(option);
  }
  return result;
}

describe('bwrapArguments', () => {
  it('unshares everything, network included, and builds the file system from an allowlist', () => {
    const ops = operations(
      bwrapArguments({ workspace: '/work/p', network: false, hiddenPaths: [], probe: fakeProbe() }),
    );
    expect(ops.slice(0, 6)).toEqual([
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--cap-drop ALL',
      '--clearenv',
      '--setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    expect(ops).not.toContain('--share-net');
    expect(ops).toContain('--ro-bind /usr /usr');
    expect(ops).toContain('--symlink usr/bin /bin');
    expect(ops).toContain('--ro-bind-try /etc/passwd /etc/passwd');
    expect(ops).toContain('--ro-bind-try /etc/alternatives /etc/alternatives');
    expect(ops.join(' ')).not.toMatch(/shadow|npmrc|--ro-bind \/ |--bind \/ |\/root|\/home\/[a-z]+ \/home/);
    expect(ops).toContain('--bind /work/p /work/p');
    expect(ops.slice(-2)).toEqual(['--chdir /work/p', '--remount-ro /']);
  });

  it('keeps its own network namespace with network on, waiting for the helper, with its own resolv.conf', () => {
    const args = bwrapArguments({
      workspace: '/w',
      network: true,
      hiddenPaths: [],
      probe: fakeProbe({ '/etc/resolv.conf': 'file' }),
    });
    expect(args[0]).toBe('--unshare-all');
    expect(args).not.toContain('--share-net');
    expect(args.join(' ')).toContain('--info-fd 3 --block-fd 4 --ro-bind-data 5 /etc/resolv.conf');
    expect(operations(args)).not.toContain('--ro-bind-try /etc/resolv.conf /etc/resolv.conf');
    const offline = bwrapArguments({
      workspace: '/w',
      network: false,
      hiddenPaths: [],
      probe: fakeProbe({ '/etc/resolv.conf': 'file' }),
    });
    expect(offline.join(' ')).not.toMatch(/--share-net|--info-fd|--block-fd/);
  });

  it('binds a workspace reached through a symlink at its resolved path, where the masks are', () => {
    const probe = fakeProbe({ '/real/p': 'directory', '/real/p/.ssh': 'directory' });
    probe.realpath = (path) => (path.startsWith('/link/p') ? path.replace('/link/p', '/real/p') : path);
    const ops = operations(
      bwrapArguments({ workspace: '/link/p', network: false, hiddenPaths: ['/link/p/.ssh'], probe }),
    );
    expect(ops).toContain('--bind /real/p /real/p');
    expect(ops).toContain('--tmpfs /real/p/.ssh');
    expect(ops.join(' ')).not.toContain('/link/p');
    expect(ops.slice(-2)).toEqual(['--chdir /real/p', '--remount-ro /']);
  });

  it('passes an allowlisted environment and the extras given, nothing else', () => {
    const ops = operations(
      bwrapArguments({
        workspace: '/w',
        network: false,
        hiddenPaths: [],
        environment: { EDITOR: 'vi' },
        probe: fakeProbe(),
      }),
    );
    const names = ops.filter((op) => op.startsWith('--setenv ')).map((op) => op.split(' ')[1]);
    expect(names.sort()).toEqual([
      'EDITOR',
      'GIT_PAGER',
      'GIT_TERMINAL_PROMPT',
      'HOME',
      'LANG',
      'MANPAGER',
      'PAGER',
      'PATH',
      'TERM',
    ]);
  });

  it('covers hidden folders and files that lie under something bound, after the binds', () => {
    const probe = fakeProbe({
      '/work/p/.mp-data': 'directory',
      '/work/p/config.json': 'file',
      '/opt/mp-config': 'directory',
    });
    const ops = operations(
      bwrapArguments({
        workspace: '/work/p',
        network: false,
        hiddenPaths: [
          '/work/p/.mp-data',
          '/work/p/config.json',
          '/opt/mp-config',
          '/elsewhere/data',
          '/work/p/missing',
        ],
        probe,
      }),
    );
    const workspaceBind = ops.indexOf('--bind /work/p /work/p');
    expect(ops.indexOf('--tmpfs /work/p/.mp-data')).toBeGreaterThan(workspaceBind);
    expect(ops.indexOf('--remount-ro /work/p/.mp-data')).toBe(ops.indexOf('--tmpfs /work/p/.mp-data') + 1);
    expect(ops.indexOf('--ro-bind /dev/null /work/p/config.json')).toBeGreaterThan(workspaceBind);
    expect(ops).toContain('--tmpfs /opt/mp-config');
    expect(ops.join(' ')).not.toContain('/elsewhere/data');
    expect(ops.join(' ')).not.toContain('/work/p/missing');
  });

  it('hides the whole workspace if it is itself a hidden path', () => {
    const ops = operations(
      bwrapArguments({
        workspace: '/data',
        network: false,
        hiddenPaths: ['/data'],
        probe: fakeProbe({ '/data': 'directory' }),
      }),
    );
    expect(ops.indexOf('--tmpfs /data')).toBeGreaterThan(ops.indexOf('--bind /data /data'));
  });

  it('moves HOME out of the way of a workspace that overlaps it', () => {
    expect(sandboxHome('/work/p')).toBe('/home/sandbox');
    expect(sandboxHome('/home')).toBe('/tmp/home');
    expect(sandboxHome('/home/sandbox/project')).toBe('/tmp/home');
    const ops = operations(
      bwrapArguments({ workspace: '/home', network: false, hiddenPaths: [], probe: fakeProbe() }),
    );
    expect(ops).toContain('--setenv HOME /tmp/home');
    expect(ops).toContain('--tmpfs /tmp/home');
  });
});
