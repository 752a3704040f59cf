/**
 * Workspaces that cannot leak through a bind mount (issue 7, item 4). realpath resolves symlinks but not bind
 * mounts: with the home (or our data dir, or `/`) bind-mounted at another folder, that folder resolved to
 * itself and passed the workspace rules while showing everything the refused folder holds; a bind mount
 * inside an accepted workspace showed it too, since the sandbox binds the workspace with its mounts. Every
 * other name a mount gives the workspace, and every mount inside it, is now judged by the same rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import { WorkspaceRefusedError } from '../../src/core/errors.ts';
import { mountAliases, parseMountInfo } from '../../src/sandbox/mount-aliases.ts';
import { resolveWorkspace } from '../../src/sandbox/workspace-resolve.ts';
import { requirement } from '../support/environment.ts';
import { expectJson, startTestApp } from '../support/test-app.ts';

describe('the other names of a folder, from mountinfo', () => {
  const mounts = parseMountInfo(
    [
      '27 1 254:0 / / rw - ext4 /dev/vda rw',
      '40 27 254:0 /home/me /mnt/home\\040copy rw - ext4 /dev/vda rw',
      '41 27 254:0 / /mnt/root rw - ext4 /dev/vda rw',
      '42 27 0:5 / /tmp rw - tmpfs tmpfs rw',
    ].join('\n'),
  );

  it('maps a bind mount back to the folder it shows, escapes included', () => {
    expect(mountAliases('/mnt/home copy/p', mounts).sort()).toEqual(['/home/me/p', '/mnt/root/home/me/p']);
    expect(mountAliases('/mnt/root', mounts)).toEqual(['/']);
    expect(mountAliases('/mnt/root/etc', mounts)).toEqual(['/etc']);
    expect(mountAliases('/tmp/x', mounts)).toEqual([]);
  });

  it('refuses a workspace whose other name is refused, and accepts one whose other names are fine', () => {
    const places = { home: '/home/me', protectedDirs: [], mounts };
    expect(() => resolveWorkspace('/mnt/home copy', places)).toThrow(
      /same folder as \/home\/me .*home folder/,
    );
    expect(() => resolveWorkspace('/mnt/root', places)).toThrow(
      /same folder as \/ .*root of the file system/,
    );
    expect(() => resolveWorkspace('/mnt/root/etc', places)).toThrow(/same folder as \/etc .*system tree/);
    expect(resolveWorkspace('/mnt/home copy/p', places)).toBe('/mnt/home copy/p');
  });

  it('refuses a relative path instead of resolving it against the server’s working directory', () => {
    expect(() => resolveWorkspace('projects/x', { home: '/home/me', protectedDirs: [], mounts })).toThrow(
      WorkspaceRefusedError,
    );
  });
});

function canBindMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'mp-bind-probe-'));
  try {
    execFileSync('mount', ['--bind', probe, probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const bindMounts = requirement('bind mounts (root and mount --bind)', canBindMount());

describe.runIf(bindMounts)('a bind-mounted alias on this machine', () => {
  let root = '';
  const mounted: string[] = [];
  const bind = (source: string, target: string) => {
    mkdirSync(target, { recursive: true });
    execFileSync('mount', ['--bind', source, target]);
    mounted.push(target);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'mp-workspace-binds-'));
  });
  afterAll(() => {
    for (const target of mounted.reverse()) execFileSync('umount', [target]);
    rmSync(root, { recursive: true, force: true });
  });

  it('of the home, of a credentials folder inside a project, or of /, is refused', () => {
    const home = join(root, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    mkdirSync(join(home, 'project'), { recursive: true });
    bind(home, join(root, 'home-alias'));
    bind('/', join(root, 'root-alias'));
    bind(join(home, '.ssh'), join(home, 'leaky-project', 'keys'));
    const places = { home, protectedDirs: [{ path: join(home, '.ssh'), what: 'a credentials folder' }] };
    expect(() => resolveWorkspace(join(root, 'home-alias'), places)).toThrow(/home folder/);
    expect(() => resolveWorkspace(join(root, 'root-alias'), places)).toThrow(/root of the file system/);
    expect(() => resolveWorkspace(join(root, 'root-alias', 'etc'), places)).toThrow(/system tree/);
    expect(() => resolveWorkspace(join(home, 'leaky-project'), places)).toThrow(/a mount inside/);
    expect(resolveWorkspace(join(home, 'project'), places)).toBe(join(home, 'project'));
  });

  it('of our data dir is refused through the API with a 400', async () => {
    const t = await startTestApp();
    try {
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'bind' }),
        ConversationWithMessagesSchema,
        201,
      );
      const alias = join(root, 'data-alias');
      bind(t.dataDir, alias);
      const answer = await t.api('PATCH', `/api/conversations/${conversation.id}`, { workspace: alias });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toContain(
        'through a bind mount',
      );
      // Unmounted before the app's temp dir goes away.
      execFileSync('umount', [alias]);
      mounted.splice(mounted.indexOf(alias), 1);
    } finally {
      await t.close();
    }
  });
});
