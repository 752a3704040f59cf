/**
 * A team server (`mp serve --team`) with accounts, and a client per account signed in through
 * `POST /api/session` as a browser would be: the session cookie on every request, the CSRF token on unsafe
 * ones. For the authorization tests (roles, private conversations, who did what).
 *
 * @example
 * const team = await startTeamApp(engine);
 * const alice = await team.as('alice');
 * await alice.api('POST', '/api/conversations', { title: 'mine' });
 */
import type { Role } from '../../src/core/accounts.ts';
import { hashPassword } from '../../src/server/password-hash.ts';
import type { AppEngine } from './app-engines.ts';
import { type LiveEvents, openLiveEvents } from './live-events.ts';
import type { TestApp } from './test-app.ts';

const PASSWORD = 'a team password, long enough';
/** Small scrypt parameters: these tests are about what accounts may do, not about the hash's cost. */
const FAST = { N: 1024, r: 8, p: 1 };

/** Two members (so one can try the other's private things), a reviewer and an admin. */
export const TEAM: Readonly<Record<string, Role>> = {
  alice: 'member',
  carol: 'member',
  bob: 'reviewer',
  root: 'admin',
};

export interface TeamClient {
  account: { id: string; username: string; role: Role };
  /** A request as this account; a body is sent as JSON. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
  /** This account's live-event stream. */
  liveEvents(): Promise<LiveEvents>;
}

export interface TeamApp {
  t: TestApp;
  as(username: string): Promise<TeamClient>;
  close(): Promise<void>;
}

export async function startTeamApp(
  engine: AppEngine,
  options: { config?: unknown; accounts?: Readonly<Record<string, Role>> } = {},
): Promise<TeamApp> {
  const t = await engine.startApp({
    serve: { team: true },
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  const passwordHash = await hashPassword(PASSWORD, FAST);
  for (const [username, role] of Object.entries(options.accounts ?? TEAM)) {
    await t.app.store.accounts.add({ username, role, passwordHash });
  }
  return {
    t,
    as: (username) => signIn(t, username),
    close: () => t.close(),
  };
}

async function signIn(t: TestApp, username: string): Promise<TeamClient> {
  const answer = await fetch(`${t.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const json = (await answer.json()) as { account: TeamClient['account']; csrfToken: string };
  if (answer.status !== 200) throw new Error(`signing in as ${username}: ${JSON.stringify(json)}`);
  const cookie = answer.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const api: TeamClient['api'] = (method, path, body) =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        ...(['GET', 'HEAD'].includes(method) ? {} : { 'x-csrf-token': json.csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    account: json.account,
    api,
    liveEvents: () => openLiveEvents({ ...t, api: (method, path, body) => api(method, path, body) }),
  };
}
