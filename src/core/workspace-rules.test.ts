import { describe, expect, it } from 'vitest';
import {
  hiddenPathsWithin,
  judgeAccountWorkspace,
  judgeWorkspace,
  normalizePath,
  type WorkspaceRuleContext,
} from './workspace-rules.ts';

const context: WorkspaceRuleContext = {
  home: '/home/me',
  protectedDirs: [
    { path: '/home/me/.local/share/modelprogrammer', what: 'our data dir' },
    { path: '/home/me/.config/modelprogrammer', what: 'our config dir' },
    { path: '/home/me/.ssh', what: 'a credentials folder' },
  ],
  workspaceRoots: ['/home/me/.local/share/modelprogrammer/workspaces'],
};

function reason(workspace: string, given = context): string {
  const verdict = judgeWorkspace(workspace, given);
  return verdict.allowed ? 'allowed' : verdict.reason;
}

describe('judgeWorkspace', () => {
  it.each([
    '/home/me/projects/x',
    '/home/me/projects/x/',
    '/home/me/.local/share/modelprogrammer/workspaces/0190-conversation',
    '/tmp/mp-test-123',
    '/srv/site',
    '/opt/app',
    '/work/main',
  ])('accepts %s', (workspace) => {
    expect(reason(workspace)).toBe('allowed');
  });

  it('refuses the home folder and says what to choose instead', () => {
    expect(reason('/home/me')).toBe(
      '/home/me is your home folder, which holds ~/.ssh and your other credentials; choose a project folder inside it, e.g. /home/me/projects/x',
    );
    expect(reason('/home/me/projects/..')).toContain('is your home folder');
  });

  it.each([
    ['/', 'is the root of the file system'],
    ['/home', 'holds your home folder /home/me'],
    ['//home//', 'holds your home folder /home/me'],
    ['/home/me/.local', 'holds our data dir at /home/me/.local/share/modelprogrammer'],
    ['/home/me/.config', 'holds our config dir'],
    ['/home/me/.local/share/modelprogrammer', 'is our data dir'],
    ['/home/me/.local/share/modelprogrammer/workspaces', 'is inside our data dir'],
    ['/home/me/.local/share/modelprogrammer/backups', 'is inside our data dir'],
    ['/home/me/.config/modelprogrammer/sub', 'is inside our config dir'],
    ['/home/me/.ssh', 'is a credentials folder'],
    ['/usr', 'is a system tree'],
    ['/usr/local/src/x', 'is inside the system tree /usr'],
    ['/etc', 'is a system tree'],
    ['/var/lib/postgresql', 'is inside the system tree /var'],
    ['/proc/self', 'is inside the system tree /proc'],
    ['/run', 'is a system tree'],
    ['/lib64', 'is a system tree'],
    ['/root', 'is in the home folder of root'],
    ['/root/projects/x', 'is in the home folder of root'],
    ['/tmp', 'holds the folders of other users and programs'],
    ['/opt', 'holds the folders of other users and programs'],
    ['relative/path', 'is not an absolute path'],
  ])('refuses %s: %s', (workspace, why) => {
    expect(reason(workspace)).toContain(why);
  });

  it('accepts a project in the home when the home is under a system tree or is /root', () => {
    expect(reason('/var/lib/jenkins/ws', { home: '/var/lib/jenkins', protectedDirs: [] })).toBe('allowed');
    expect(reason('/root/projects/x', { home: '/root', protectedDirs: [] })).toBe('allowed');
    expect(reason('/root', { home: '/root', protectedDirs: [] })).toContain('is your home folder');
  });

  it('accepts any folder inside a protected dir when no workspace roots are given (a backend)', () => {
    const backend = { home: '/home/me', protectedDirs: [{ path: '/data/mp', what: 'a hidden folder' }] };
    expect(reason('/data/mp/workspaces/a', backend)).toBe('allowed');
    expect(reason('/data/mp', backend)).toContain('is a hidden folder');
    expect(reason('/data', backend)).toContain('holds a hidden folder at /data/mp');
  });
});

describe('normalizePath', () => {
  it('removes dot segments and doubled or trailing slashes', () => {
    expect(normalizePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(normalizePath('/..')).toBe('/');
  });
});

describe('judgeAccountWorkspace (team servers)', () => {
  const roots = { accountsRoot: '/data/workspaces/accounts', own: '/data/workspaces/accounts/a1' };
  const judge = (workspace: string) => {
    const verdict = judgeAccountWorkspace(workspace, roots);
    return verdict.allowed ? 'allowed' : verdict.reason;
  };

  it('accepts the account’s own folder and what lies in it', () => {
    expect(judge('/data/workspaces/accounts/a1')).toBe('allowed');
    expect(judge('/data/workspaces/accounts/a1/project/')).toBe('allowed');
  });

  it('refuses another account’s folder, even spelled through ..', () => {
    expect(judge('/data/workspaces/accounts/a2/x')).toBe(
      '/data/workspaces/accounts/a2/x is in another account’s workspace folder; choose a folder inside yours, /data/workspaces/accounts/a1',
    );
    expect(judge('/data/workspaces/accounts/a1/../a2')).toMatch(/another account’s workspace folder/);
    expect(judge('/data/workspaces/accounts/a10')).toMatch(/another account’s/);
  });

  it('refuses everything outside, the folder of all accounts included', () => {
    expect(judge('/data/workspaces/accounts')).toMatch(/outside your workspace folder/);
    expect(judge('/home/server/projects/x')).toMatch(/outside your workspace folder on this team server/);
    expect(judge('/tmp/x')).toMatch(/choose a folder inside yours, \/data\/workspaces\/accounts\/a1$/);
  });
});

describe('hiddenPathsWithin', () => {
  it('keeps only the hidden paths inside the workspace, never one that holds it', () => {
    expect(hiddenPathsWithin('/data/workspaces/c1', ['/data', '/home/me/.ssh', '/cfg'])).toEqual([]);
    expect(hiddenPathsWithin('/home/me/p/', ['/home/me/p/.mp', '/home/me/p', '/home/me/.ssh'])).toEqual([
      '/home/me/p/.mp',
    ]);
  });
});
