/**
 * Issue 10 item 3: on a team server (`mp serve --team`) people sign in with an account. Pinned here, on both
 * store engines: the session cookie and its flags, that the store keeps only a hash of its secret, one answer
 * for an unknown name and a wrong password, CSRF on every unsafe request of a session, signing out, idle and
 * absolute expiry (an injected clock, nothing sleeps), a removed account's sessions ending, the instance token
 * signing no one in, sign-in limits per username and per client address (not server-wide), and token mode
 * answering as before.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/accounts.ts';
import { hashPassword } from '../../src/server/password-hash.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/server/team-sessions.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import type { TestApp } from '../support/test-app.ts';

const PASSWORD = 'correct horse battery staple';
/** Small scrypt parameters: these tests are about sessions, not about the hash's cost. */
const FAST = { N: 1024, r: 8, p: 1 };

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  json: unknown;
}

/** One HTTP request to the app, from `localAddress` (another loopback address is another client). */
function call(
  port: number,
  options: {
    method?: string;
    path: string;
    body?: unknown;
    cookie?: string;
    csrf?: string;
    headers?: Record<string, string>;
    localAddress?: string;
  },
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        localAddress: options.localAddress ?? '127.0.0.1',
        agent: false,
        headers: {
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
          ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
          ...(options.csrf === undefined ? {} : { 'x-csrf-token': options.csrf }),
          ...options.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: text === '' ? null : (JSON.parse(text) as unknown),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface SignedIn {
  cookie: string;
  secret: string;
  csrf: string;
  setCookie: string;
  account: { id: string; username: string; role: string };
}

async function signIn(port: number, username: string, password = PASSWORD, localAddress?: string) {
  const answer = await call(port, {
    method: 'POST',
    path: '/api/session',
    body: { username, password },
    ...(localAddress === undefined ? {} : { localAddress }),
  });
  return answer;
}

async function signedIn(port: number, username: string): Promise<SignedIn> {
  const answer = await signIn(port, username);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const setCookie = answer.headers['set-cookie']?.[0] ?? '';
  const secret = /^mp_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
  const json = answer.json as { account: SignedIn['account']; csrfToken: string };
  return { cookie: `mp_session=${secret}`, secret, csrf: json.csrfToken, setCookie, account: json.account };
}

function errorOf(answer: Answer): { code: string; message: string } {
  return (answer.json as { error: { code: string; message: string } }).error;
}

describeEachAppEngine('team sessions', (engine) => {
  let t: TestApp;
  const clock = { now: Date.parse('2026-12-01T12:00:00.000Z') };

  beforeAll(async () => {
    t = await engine.startApp({ serve: { team: true, sessions: { now: () => clock.now, recheckMs: 20 } } });
    const passwordHash = await hashPassword(PASSWORD, FAST);
    const people: [string, Role][] = [
      ['alice', 'member'],
      ['bob', 'reviewer'],
      ['root', 'admin'],
      ...['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((name): [string, Role] => [name, 'member']),
    ];
    for (const [username, role] of people) {
      await t.app.store.accounts.add({ username, role, passwordHash });
    }
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    clock.now += SESSION_ABSOLUTE_MS * 2;
  });

  it('signs in with username and password: an HttpOnly, SameSite=Strict cookie and the CSRF token', async () => {
    const session = await signedIn(t.app.port, 'Alice');
    expect(session.account).toMatchObject({ username: 'alice', role: 'member' });
    expect(session.setCookie).toBe(
      `mp_session=${session.secret}; Max-Age=${SESSION_ABSOLUTE_MS / 1000}; Path=/; HttpOnly; SameSite=Strict`,
    );
    expect(session.secret).toMatch(/^[\w-]{43}$/);
    expect(session.csrf).toMatch(/^[\w-]{43}$/);

    const list = await call(t.app.port, { path: '/api/conversations', cookie: session.cookie });
    expect(list.status).toBe(200);
    const state = await call(t.app.port, { path: '/api/session', cookie: session.cookie });
    expect(state.json).toEqual({ mode: 'team', account: session.account, csrfToken: session.csrf });
    const nobody = await call(t.app.port, { path: '/api/session' });
    expect(nobody.json).toEqual({ mode: 'team', account: null, csrfToken: null });
  });

  it('keeps only the SHA-256 of the cookie’s secret in the store, never the secret', async () => {
    const session = await signedIn(t.app.port, 'alice');
    const hashed = createHash('sha256').update(session.secret).digest('hex');
    expect(await t.app.store.accountSessions.find(hashed)).toMatchObject({ account: { username: 'alice' } });
    expect(await t.app.store.accountSessions.find(session.secret)).toBeUndefined();
  });

  it('answers an unknown username exactly as a wrong password', async () => {
    const wrong = await signIn(t.app.port, 'alice', 'not the password at all');
    const unknown = await signIn(t.app.port, 'nobody-here', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(wrong.json);
    expect(errorOf(wrong)).toEqual({ code: 'wrong_credentials', message: 'wrong username or password' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an unsafe request of a session without its CSRF token, or with another one (403)', async () => {
    const session = await signedIn(t.app.port, 'alice');
    const other = await signedIn(t.app.port, 'root');
    const create = {
      method: 'POST',
      path: '/api/conversations',
      body: { title: 'csrf' },
      cookie: session.cookie,
    };
    const missing = await call(t.app.port, create);
    expect(missing.status).toBe(403);
    expect(errorOf(missing).code).toBe('csrf_token_invalid');
    const wrong = await call(t.app.port, { ...create, csrf: other.csrf });
    expect(wrong.status).toBe(403);
    expect(errorOf(wrong).message).toMatch(/does not match this session/);
    const right = await call(t.app.port, { ...create, csrf: session.csrf });
    expect(right.status).toBeLessThan(300);
    // Signing out is an unsafe request of the session too.
    const signOut = await call(t.app.port, {
      method: 'DELETE',
      path: '/api/session',
      cookie: session.cookie,
    });
    expect(signOut.status).toBe(403);
  });

  it('signs out: the session row is deleted, the cookie cleared, and the old cookie no longer works', async () => {
    const session = await signedIn(t.app.port, 'alice');
    const out = await call(t.app.port, {
      method: 'DELETE',
      path: '/api/session',
      cookie: session.cookie,
      csrf: session.csrf,
    });
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']?.[0]).toBe('mp_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
    expect(await t.app.store.accountSessions.countFor(session.account.id)).toBe(0);
    const after = await call(t.app.port, { path: '/api/conversations', cookie: session.cookie });
    expect(after.status).toBe(401);
    expect(errorOf(after)).toMatchObject({
      code: 'sign_in_required',
      message: expect.stringMatching(/ended/),
    });
  });

  it('ends a session unused for the idle limit (401), and keeps one in use until the absolute limit', async () => {
    const idle = await signedIn(t.app.port, 'alice');
    clock.now += SESSION_IDLE_MS - 1000;
    expect((await call(t.app.port, { path: '/api/conversations', cookie: idle.cookie })).status).toBe(200);
    clock.now += SESSION_IDLE_MS - 1000;
    expect((await call(t.app.port, { path: '/api/conversations', cookie: idle.cookie })).status).toBe(200);
    clock.now += SESSION_IDLE_MS;
    const expired = await call(t.app.port, { path: '/api/conversations', cookie: idle.cookie });
    expect(expired.status).toBe(401);

    const busy = await signedIn(t.app.port, 'alice');
    const start = clock.now;
    while (clock.now + SESSION_IDLE_MS / 2 < start + SESSION_ABSOLUTE_MS) {
      clock.now += SESSION_IDLE_MS / 2;
      expect((await call(t.app.port, { path: '/api/conversations', cookie: busy.cookie })).status).toBe(200);
    }
    clock.now = start + SESSION_ABSOLUTE_MS;
    expect((await call(t.app.port, { path: '/api/conversations', cookie: busy.cookie })).status).toBe(401);
  });

  it('ends the sessions of a removed account at once, and it cannot sign in again', async () => {
    const session = await signedIn(t.app.port, 'u6');
    await t.app.store.accounts.remove('u6');
    expect((await call(t.app.port, { path: '/api/conversations', cookie: session.cookie })).status).toBe(401);
    expect((await signIn(t.app.port, 'u6')).status).toBe(401);
  });

  it('cuts an open live-event stream when its session ends', async () => {
    const session = await signedIn(t.app.port, 'alice');
    const stream = await new Promise<{ closed: Promise<void> }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: t.app.port,
          path: '/api/events',
          agent: false,
          headers: { cookie: session.cookie, accept: 'text/event-stream' },
        },
        (response) => {
          expect(response.statusCode).toBe(200);
          response.resume();
          resolve({ closed: new Promise<void>((ended) => response.once('close', () => ended())) });
        },
      );
      request.on('error', () => {});
      request.once('response', () => request.off('error', reject));
      request.end();
    });
    const signOut = await call(t.app.port, {
      method: 'DELETE',
      path: '/api/session',
      cookie: session.cookie,
      csrf: session.csrf,
    });
    expect(signOut.status).toBe(204);
    await stream.closed;
  });

  it('refuses the instance token: a Bearer header signs no one in, and says to sign in', async () => {
    const answer = await call(t.app.port, {
      path: '/api/conversations',
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(answer.status).toBe(401);
    expect(errorOf(answer)).toMatchObject({
      code: 'sign_in_required',
      message: expect.stringMatching(/team server: the instance token signs no one in; sign in/),
    });
    // Nor can the token be had from a sign-in code: that exchange does not exist on a team server.
    const code = await call(t.app.port, {
      method: 'POST',
      path: '/api/session/code',
      body: { code: 'x.y.z' },
    });
    expect(code.status).toBe(401);
    expect(JSON.stringify(code.json)).not.toContain(t.token);
  });

  it('limits failed sign-ins per username: the right password waits too, other names do not', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await signIn(t.app.port, 'bob', 'wrong password here', '127.0.0.3')).status).toBe(401);
    }
    const limited = await signIn(t.app.port, 'bob', PASSWORD, '127.0.0.4');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(limited).message).toMatch(/too many failed sign-ins .* try again in \d+ s/);
    expect((await signIn(t.app.port, 'root', PASSWORD, '127.0.0.3')).status).toBe(200);
  });

  it('limits failed sign-ins per client address, not server-wide', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await signIn(t.app.port, name, 'wrong password here', '127.0.0.5')).status).toBe(401);
      }
    }
    expect((await signIn(t.app.port, 'alice', PASSWORD, '127.0.0.5')).status).toBe(429);
    expect((await signIn(t.app.port, 'alice', PASSWORD, '127.0.0.6')).status).toBe(200);
  });
});

describeEachAppEngine('token mode, beside team mode', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await engine.startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('still signs in with the Bearer token only, sets no cookie, and has no account routes', async () => {
    const list = await t.api('GET', '/api/conversations');
    expect(list.status).toBe(200);
    expect(list.headers.get('set-cookie')).toBeNull();
    // The page tells the modes apart by this: 401 here means "send the token".
    expect((await fetch(`${t.baseUrl}/api/session`)).status).toBe(401);
    expect((await t.api('GET', '/api/session')).status).toBe(404);
    const noToken = await fetch(`${t.baseUrl}/api/conversations`);
    expect(noToken.status).toBe(401);
    // No account sign-in route in token mode: without the token it is a 401 like any unknown route.
    const signIn = await fetch(`${t.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    expect(signIn.status).toBe(401);
  });
});

describe('the session limits', () => {
  it('are 8 hours idle and 7 days absolute (docs/team.md states them)', () => {
    expect(SESSION_IDLE_MS).toBe(8 * 60 * 60 * 1000);
    expect(SESSION_ABSOLUTE_MS).toBe(7 * 24 * 60 * 60 * 1000);
  });
});
