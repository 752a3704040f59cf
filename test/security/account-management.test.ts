/**
 * Issue 10 item 3: "admin manages accounts", through the API as through `mp user`. Pinned here, on both
 * engines: only an admin reaches the account routes (a member or reviewer gets 403 naming the admin role); no
 * answer carries a password hash; names and passwords are refused with the command line's words; a new
 * password and a removal end that account's sessions at once; a role change applies from the next request;
 * the last admin can be neither removed nor demoted, and an admin cannot remove their own account.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkUsername, passwordProblem } from '../../src/core/account-rules.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';
import type { TestApp } from '../support/test-app.ts';

const NEW_PASSWORD = 'a brand new passphrase';

interface Listing {
  id: string;
  username: string;
  role: string;
  createdAt: string;
  removedAt: string | null;
}

async function errorOf(answer: Response): Promise<{ code: string; message: string; field?: string }> {
  return ((await answer.json()) as { error: { code: string; message: string; field?: string } }).error;
}

async function signInStatus(t: TestApp, username: string, password: string): Promise<number> {
  const answer = await fetch(`${t.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  await answer.body?.cancel();
  return answer.status;
}

describeEachAppEngine('account management by an admin', (engine) => {
  let team: TeamApp;
  let root: TeamClient;
  beforeAll(async () => {
    team = await startTeamApp(engine);
    root = await team.as('root');
  });
  afterAll(async () => {
    await team?.close();
  });

  const list = async (client: TeamClient = root): Promise<Listing[]> => {
    const answer = await client.api('GET', '/api/accounts');
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { accounts: Listing[] }).accounts;
  };
  const idOf = async (username: string) => (await list()).find((a) => a.username === username)?.id ?? '';

  it('lists every account with its role and never a hash', async () => {
    const answer = await root.api('GET', '/api/accounts');
    const text = await answer.text();
    expect(text).not.toMatch(/scrypt|hash/i);
    const accounts = (JSON.parse(text) as { accounts: Listing[] }).accounts;
    expect(accounts.map((a) => [a.username, a.role, a.removedAt])).toEqual([
      ['alice', 'member', null],
      ['carol', 'member', null],
      ['bob', 'reviewer', null],
      ['root', 'admin', null],
    ]);
  });

  it('refuses a member and a reviewer every account route, naming the admin role', async () => {
    const aliceId = await idOf('alice');
    for (const username of ['alice', 'bob']) {
      const client = await team.as(username);
      for (const [method, path, body] of [
        ['GET', '/api/accounts', undefined],
        ['POST', '/api/accounts', { username: 'mallory', password: NEW_PASSWORD, role: 'admin' }],
        ['PATCH', `/api/accounts/${client.account.id}`, { role: 'admin' }],
        ['PATCH', `/api/accounts/${aliceId}`, { password: NEW_PASSWORD }],
        ['DELETE', `/api/accounts/${aliceId}`, undefined],
      ] as const) {
        const answer = await client.api(method, path, body);
        expect(answer.status, `${username} ${method} ${path}`).toBe(403);
        expect((await errorOf(answer)).message).toMatch(
          /add, change or remove accounts needs the admin role$/,
        );
      }
    }
    expect((await list()).map((a) => a.username)).not.toContain('mallory');
    expect((await list()).find((a) => a.username === 'alice')).toMatchObject({
      role: 'member',
      removedAt: null,
    });
    expect(await signInStatus(team.t, 'alice', NEW_PASSWORD)).toBe(401);
  });

  it('adds an account who can then sign in, refusing names and passwords as `mp user` does', async () => {
    const added = await root.api('POST', '/api/accounts', {
      username: ' Dora ',
      password: NEW_PASSWORD,
      role: 'reviewer',
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ username: 'dora', role: 'reviewer', removedAt: null });
    expect(await signInStatus(team.t, 'dora', NEW_PASSWORD)).toBe(200);

    const badName = await root.api('POST', '/api/accounts', {
      username: 'a b',
      password: NEW_PASSWORD,
      role: 'member',
    });
    expect(badName.status).toBe(400);
    const nameRule = checkUsername('a b');
    expect(await errorOf(badName)).toMatchObject({
      field: 'username',
      message: nameRule.ok ? '' : nameRule.message,
    });
    const short = await root.api('POST', '/api/accounts', {
      username: 'eve',
      password: 'short',
      role: 'member',
    });
    expect(short.status).toBe(400);
    expect(await errorOf(short)).toMatchObject({ field: 'password', message: passwordProblem('short') });
    const again = await root.api('POST', '/api/accounts', {
      username: 'dora',
      password: NEW_PASSWORD,
      role: 'member',
    });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).message).toBe('there is already an account named dora');
  });

  it('changes a role from the next request, and a new password ends the sessions', async () => {
    const carol = await team.as('carol');
    const carolId = carol.account.id;
    const demoted = await root.api('PATCH', `/api/accounts/${carolId}`, { role: 'reviewer' });
    expect(await demoted.json()).toMatchObject({ username: 'carol', role: 'reviewer' });
    const session = (await (await carol.api('GET', '/api/session')).json()) as { account: { role: string } };
    expect(session.account.role).toBe('reviewer');
    expect((await carol.api('POST', '/api/conversations', { title: 'x' })).status).toBe(403);

    const rekeyed = await root.api('PATCH', `/api/accounts/${carolId}`, { password: NEW_PASSWORD });
    expect(rekeyed.status).toBe(200);
    expect((await carol.api('GET', '/api/conversations')).status).toBe(401);
    expect(await signInStatus(team.t, 'carol', NEW_PASSWORD)).toBe(200);

    const empty = await root.api('PATCH', `/api/accounts/${carolId}`, {});
    expect(empty.status).toBe(400);
    const unknown = await root.api('PATCH', '/api/accounts/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', {
      role: 'member',
    });
    expect(unknown.status).toBe(404);
  });

  it('removes an account by tombstone: its sessions end, it signs in no more, its name stays taken', async () => {
    const alice = await team.as('alice');
    const removed = await root.api('DELETE', `/api/accounts/${alice.account.id}`);
    expect(removed.status).toBe(204);
    expect((await alice.api('GET', '/api/conversations')).status).toBe(401);
    expect(await signInStatus(team.t, 'alice', 'a team password, long enough')).toBe(401);
    expect((await list()).find((a) => a.username === 'alice')?.removedAt).not.toBeNull();
    expect((await root.api('DELETE', `/api/accounts/${alice.account.id}`)).status).toBe(404);
  });

  it('keeps an admin: the last one cannot be demoted, and nobody removes their own account', async () => {
    const self = await root.api('DELETE', `/api/accounts/${root.account.id}`);
    expect(self.status).toBe(409);
    expect((await errorOf(self)).message).toMatch(/^you cannot remove your own account/);
    const demoteSelf = await root.api('PATCH', `/api/accounts/${root.account.id}`, { role: 'member' });
    expect(demoteSelf.status).toBe(409);
    expect((await errorOf(demoteSelf)).message).toBe(
      'root is the last admin: changing the role of it would leave nobody to manage accounts; make another account admin first',
    );
    // A second admin makes the first one's demotion and removal possible, and the new one the last.
    const ada = await root.api('POST', '/api/accounts', {
      username: 'ada',
      password: NEW_PASSWORD,
      role: 'admin',
    });
    const adaId = ((await ada.json()) as Listing).id;
    expect((await root.api('PATCH', `/api/accounts/${adaId}`, { role: 'member' })).status).toBe(200);
    expect((await root.api('PATCH', `/api/accounts/${adaId}`, { role: 'admin' })).status).toBe(200);
    expect((await root.api('DELETE', `/api/accounts/${adaId}`)).status).toBe(204);
    expect(
      (await list()).filter((a) => a.role === 'admin' && a.removedAt === null).map((a) => a.username),
    ).toEqual(['root']);
  });
});

describeEachAppEngine('account management on a token-mode server', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await engine.startApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses to remove the last admin (the local person is no account, so only this rule stops it)', async () => {
    const root = await t.app.store.accounts.add({ username: 'root', role: 'admin', passwordHash: 'x' });
    const answer = await t.api('DELETE', `/api/accounts/${root.id}`);
    expect(answer.status).toBe(409);
    expect((await errorOf(answer)).message).toBe(
      'root is the last admin: removing it would leave nobody to manage accounts; make another account admin first',
    );
    expect(await t.app.store.accounts.countLive('admin')).toBe(1);
  });
});
