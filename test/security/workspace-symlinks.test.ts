/**
 * Workspaces that cannot leak (issue 7, item 4). The workspace used to be bound as given while the masks
 * over hidden paths sat at resolved paths, so a workspace reached through a symlink showed what the masks
 * were meant to hide; and `/`, the home or a folder holding our data dir were accepted. Every path is now
 * resolved before it is judged and bound. A fake home is passed in: the real one is never used.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import { WorkspaceRefusedError } from '../../src/core/errors.ts';
import type { ShellSession } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { dockerWithImage } from '../sandbox/docker-available.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { expectJson, startTestApp } from '../support/test-app.ts';

const bwrap = requirement('bubblewrap (bwrap)', hasExecutable('bwrap'));
const docker = requirement(
  'a Docker engine with the sandbox image (scripts/ci-docker.sh)',
  dockerWithImage(),
);

interface Layout {
  root: string;
  home: string;
  dataDir: string;
  configDir: string;
  project: string;
  secret: string;
  links: { toHome: string; toRoot: string; toDataParent: string; toProject: string };
}

/** A fake home whose ~/.ssh is a symlink into a project folder, our dirs, and symlinks to each. */
function makeLayout(): Layout {
  const root = mkdtempSync(join(tmpdir(), 'mp-workspace-links-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'state', 'modelprogrammer');
  const configDir = join(root, 'config', 'modelprogrammer');
  const project = join(root, 'projects', 'p');
  const secret = `SECRET-KEY-${process.pid}`;
  for (const folder of [home, dataDir, configDir, join(project, 'keys')])
    mkdirSync(folder, { recursive: true });
  writeFileSync(join(project, 'keys', 'id_ed25519'), `${secret}\n`);
  writeFileSync(join(project, 'README'), 'a project file\n');
  writeFileSync(join(dataDir, 'modelprogrammer.db'), `${secret}\n`);
  symlinkSync(join(project, 'keys'), join(home, '.ssh'));
  const links = {
    toHome: join(root, 'link-to-home'),
    toRoot: join(root, 'link-to-root'),
    toDataParent: join(root, 'link-to-state'),
    toProject: join(root, 'link-to-project'),
  };
  symlinkSync(home, links.toHome);
  symlinkSync('/', links.toRoot);
  symlinkSync(join(root, 'state'), links.toDataParent);
  symlinkSync(project, links.toProject);
  return { root, home, dataDir, configDir, project, secret, links };
}

const backends = [
  { name: 'bwrap', available: bwrap, create: createBwrapSession },
  { name: 'docker', available: docker, create: createDockerSession },
] as const;

for (const backend of backends) {
  describe.runIf(backend.available)(`${backend.name} workspaces reached through symlinks`, () => {
    let layout: Layout;
    const sessions: ShellSession[] = [];
    const open = (workspace: string) => {
      const session = backend.create(
        { workspace, hiddenPaths: [layout.dataDir, layout.configDir] },
        { realHome: layout.home },
      );
      sessions.push(session);
      return session;
    };

    beforeAll(() => {
      layout = makeLayout();
    });

    afterAll(async () => {
      await Promise.all(sessions.map((session) => session.close()));
      rmSync(layout.root, { recursive: true, force: true });
    });

    it.each([
      ['the home', 'toHome', /is your home folder, which holds ~\/\.ssh/],
      ['/', 'toRoot', /is the root of the file system/],
      ['an ancestor of our data dir', 'toDataParent', /holds a folder the sandbox keeps hidden/],
    ] as const)('refuses a symlink to %s, naming what it resolves to', async (_, link, why) => {
      const failure = open(layout.links[link]).run('echo ran');
      await expect(failure).rejects.toBeInstanceOf(WorkspaceRefusedError);
      await expect(failure).rejects.toThrow(why);
      await expect(failure).rejects.toThrow(`${layout.links[link]} →`);
    });

    it('accepts a symlink to a project: files at the resolved path, the home’s ~/.ssh target hidden', async () => {
      const session = open(layout.links.toProject);
      const result = await session.run(
        `pwd; cat README; ls -A keys; cat keys/id_ed25519 '${layout.project}/keys/id_ed25519' 2>&1; ls '${layout.links.toProject}' 2>&1`,
      );
      expect(result.output).not.toContain(layout.secret);
      expect(result.output.split('\n')[0]).toBe(layout.project);
      expect(result.output).toContain('a project file');
      expect(result.output).toContain(`${layout.project}/keys/id_ed25519: No such file or directory`);
      expect(result.output).toMatch(/cannot access '.*link-to-project': No such file or directory/);
      expect((await session.run('echo written > made-here')).exitCode).toBe(0);
    });
  });
}

describe('a workspace set through the API', () => {
  it('is refused with a 400 that says why and what to choose, and a project folder is accepted', async () => {
    const t = await startTestApp();
    const layout = makeLayout();
    try {
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'workspace' }),
        ConversationWithMessagesSchema,
        201,
      );
      const patch = (workspace: string) =>
        t.api('PATCH', `/api/conversations/${conversation.id}`, { workspace });
      // The test app's home and data dir are the same temporary folder.
      const home = await patch(t.dataDir);
      expect(home.status).toBe(400);
      const body = (await home.json()) as { error: { code: string; message: string; field?: string } };
      expect(body.error.message).toMatch(/is your home folder.*choose a project folder inside it, e\.g\. /);
      expect((await patch(layout.links.toRoot)).status).toBe(400);
      const dataLink = join(layout.root, 'link-to-app-data');
      mkdirSync(join(t.dataDir, 'workspaces', 'not-a-conversation'), { recursive: true });
      symlinkSync(join(t.dataDir, 'workspaces'), dataLink);
      const inside = await patch(dataLink);
      expect(inside.status).toBe(400);
      expect(((await inside.json()) as { error: { message: string } }).error.message).toContain(
        'is inside our data dir',
      );
      expect((await patch(layout.links.toProject)).status).toBe(200);
    } finally {
      await t.close();
      rmSync(layout.root, { recursive: true, force: true });
    }
  });
});
