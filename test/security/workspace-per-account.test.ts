/**
 * On a team server each account's workspaces live under its own folder (issue 10 item 5), and the sandbox's
 * workspace rules apply per account: a member cannot point a conversation at another account's folder, nor
 * outside their own, whether written plainly, through `..`, or through a symlink inside their own folder
 * (the path is resolved before it is judged, as for every workspace). Real folders in a temporary tree,
 * a fake home; admins and token mode are not confined.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceRefusedError } from '../../src/core/errors.ts';
import { resolveWorkspace, type WorkspacePlaces } from '../../src/sandbox/workspace-resolve.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';

const tree = mkdtempSync(join(tmpdir(), 'mp-account-workspaces-'));
const dataDir = join(tree, 'data');
const accountsRoot = join(dataDir, 'workspaces', 'accounts');
const mine = join(accountsRoot, 'account-1');
const theirs = join(accountsRoot, 'account-2');
mkdirSync(join(mine, 'project'), { recursive: true });
mkdirSync(join(theirs, 'secret-project'), { recursive: true });
mkdirSync(join(tree, 'home', 'projects', 'x'), { recursive: true });
symlinkSync(join(theirs, 'secret-project'), join(mine, 'link-to-theirs'));
symlinkSync(join(tree, 'home', 'projects', 'x'), join(mine, 'link-outside'));

afterAll(() => rmSync(tree, { recursive: true, force: true }));

const places = (account?: WorkspacePlaces['account']): WorkspacePlaces => ({
  home: join(tree, 'home'),
  protectedDirs: [{ path: dataDir, what: 'our data dir' }],
  workspaceRoots: [join(dataDir, 'workspaces')],
  mounts: [],
  ...(account === undefined ? {} : { account }),
});
const asMember = places({ accountsRoot, own: mine });

function refusal(workspace: string, given: WorkspacePlaces): string {
  try {
    resolveWorkspace(workspace, given);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceRefusedError);
    return (error as Error).message;
  }
}

describe('workspaces per account', () => {
  it('accepts a folder inside the member’s own', () => {
    expect(resolveWorkspace(join(mine, 'project'), asMember)).toBe(join(mine, 'project'));
  });

  it('refuses another account’s folder, written plainly or through ..', () => {
    expect(refusal(join(theirs, 'secret-project'), asMember)).toMatch(/another account’s workspace folder/);
    expect(refusal(`${mine}/../account-2`, asMember)).toMatch(/another account’s workspace folder/);
  });

  it('refuses a symlink in the member’s own folder that leads to another account’s or outside', () => {
    expect(refusal(join(mine, 'link-to-theirs'), asMember)).toMatch(
      /link-to-theirs → .*account-2\/secret-project is in another account’s workspace folder/,
    );
    expect(refusal(join(mine, 'link-outside'), asMember)).toMatch(/outside your workspace folder/);
  });

  it('refuses a folder outside every account’s, which the rules alone would accept', () => {
    const outside = join(tree, 'home', 'projects', 'x');
    expect(resolveWorkspace(outside, places())).toBe(outside);
    expect(refusal(outside, asMember)).toMatch(/outside your workspace folder on this team server/);
  });

  it('leaves an admin (no account roots given) under the machine-wide rules only', () => {
    expect(resolveWorkspace(join(theirs, 'secret-project'), places())).toBe(join(theirs, 'secret-project'));
  });
});

describeEachAppEngine('workspaces per account, through the API', (engine) => {
  let team: TeamApp;
  let alice: TeamClient;
  let carol: TeamClient;
  let root: TeamClient;
  beforeAll(async () => {
    team = await startTeamApp(engine);
    [alice, carol, root] = await Promise.all([team.as('alice'), team.as('carol'), team.as('root')]);
  });
  afterAll(async () => {
    await team?.close();
  });

  const accounts = () => join(team.t.dataDir, 'workspaces', 'accounts');
  const create = async (client: TeamClient) =>
    ((await (await client.api('POST', '/api/conversations', {})).json()) as { id: string }).id;
  const place = async (client: TeamClient, id: string) =>
    ((await (await client.api('GET', `/api/conversations/${id}/terminal`)).json()) as { workspace: string })
      .workspace;

  it('gives an account’s conversation its managed workspace inside that account’s folder', async () => {
    const id = await create(alice);
    expect(await place(alice, id)).toBe(join(accounts(), alice.account.id, id));
  });

  it('refuses a member a workspace in another account’s folder or outside their own, with a 400 saying why', async () => {
    const carols = await create(carol);
    const theirs = await place(carol, carols);
    const mine = await create(alice);
    for (const [workspace, why] of [
      [theirs, 'is in another account’s workspace folder'],
      [team.t.dataDir, 'This workspace is refused'],
      ['/', 'is the root of the file system'],
      [join(tree, 'home', 'projects', 'x'), 'is outside your workspace folder on this team server'],
    ] as const) {
      const answer = await alice.api('PATCH', `/api/conversations/${mine}`, { workspace });
      const body = (await answer.json()) as { error?: { message: string } };
      expect(answer.status, workspace).toBe(400);
      expect(body.error?.message, workspace).toContain(why);
    }
    const own = join(accounts(), alice.account.id);
    const accepted = await alice.api('PATCH', `/api/conversations/${mine}`, { workspace: own });
    expect(accepted.status).toBe(200);
    expect(await place(alice, mine)).toBe(own);
  });

  it('leaves an admin to the machine-wide rules, and keeps the host (no sandbox) for admins', async () => {
    const id = await create(alice);
    const outside = join(tree, 'home', 'projects', 'x');
    expect((await root.api('PATCH', `/api/conversations/${id}`, { workspace: outside })).status).toBe(200);
    const host = await alice.api('PATCH', `/api/conversations/${id}`, { sandbox: 'host' });
    expect(host.status).toBe(403);
    expect(((await host.json()) as { error: { message: string } }).error.message).toMatch(
      /to run a conversation's commands on the host, outside any sandbox needs the admin role$/,
    );
    expect((await root.api('PATCH', `/api/conversations/${id}`, { sandbox: 'host' })).status).toBe(200);
  });
});
