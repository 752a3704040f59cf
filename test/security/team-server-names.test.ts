/**
 * Issue 10 item 3, a team server reached from elsewhere: over TLS (`--tls-cert`/`--tls-key`) the session
 * cookie is `__Host-mp_session` with Secure; behind a TLS proxy (`--public-url https://NAME`) the Host and
 * Origin checks accept that name and the cookie is Secure too, while any other name is still refused (DNS
 * rebinding); token mode keeps accepting loopback names only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/password-hash.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { rawRequest, startTestApp, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'correct horse battery staple';
const SIGN_IN = JSON.stringify({ username: 'alice', password: PASSWORD });
const haveOpenssl = requirement('openssl (to make a test certificate)', hasExecutable('openssl'));

async function addAlice(t: TestApp): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  await t.app.store.accounts.add({ username: 'alice', role: 'member', passwordHash });
}

function https(
  port: number,
  ca: Buffer,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        ca,
        method: options.method ?? 'GET',
        path: options.path,
        agent: false,
        headers: {
          ...(options.body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(options.body)),
              }),
          ...options.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe.skipIf(!haveOpenssl)('a team server speaking TLS itself', () => {
  let t: TestApp;
  let cert: Buffer;
  const dir = makeTempDir('mp-tls-');

  beforeAll(async () => {
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir.path, 'key.pem'),
      '-out',
      join(dir.path, 'cert.pem'),
    ]);
    cert = readFileSync(join(dir.path, 'cert.pem'));
    t = await startTestApp({
      serve: { team: true, tls: { cert, key: readFileSync(join(dir.path, 'key.pem')) } },
    });
    await addAlice(t);
  });
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  it('sets a __Host- cookie with Secure, which then signs the requests in', async () => {
    const signIn = await https(t.app.port, cert, { method: 'POST', path: '/api/session', body: SIGN_IN });
    expect(signIn.status, signIn.body).toBe(200);
    const setCookie = signIn.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(
      /^__Host-mp_session=[\w-]{43}; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const cookie = setCookie.split(';')[0] ?? '';
    const { csrfToken } = JSON.parse(signIn.body) as { csrfToken: string };
    expect((await https(t.app.port, cert, { path: '/api/conversations', headers: { cookie } })).status).toBe(
      200,
    );

    const create = (origin: string) =>
      https(t.app.port, cert, {
        method: 'POST',
        path: '/api/conversations',
        headers: { cookie, 'x-csrf-token': csrfToken, origin },
        body: JSON.stringify({ title: 'over TLS' }),
      });
    expect((await create(`https://127.0.0.1:${t.app.port}`)).status).toBeLessThan(300);
    // The same host over plain http is another origin.
    expect((await create(`http://127.0.0.1:${t.app.port}`)).status).toBe(403);
  });

  it('prints an https URL', () => {
    expect(t.app.url).toBe(`https://127.0.0.1:${t.app.port}/`);
  });
});

describe('a team server behind a TLS proxy (--public-url)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ serve: { team: true, publicUrl: 'https://mp.lab.example' } });
    await addAlice(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts the public name in Host and Origin, and sets a Secure __Host- cookie (the browser is on https)', async () => {
    const answer = await rawRequest(t.app.port, {
      method: 'POST',
      path: '/api/session',
      headers: {
        host: 'mp.lab.example',
        origin: 'https://mp.lab.example',
        'content-type': 'application/json',
      },
      body: SIGN_IN,
    });
    expect(answer.status, answer.body).toBe(200);
    expect(answer.headers['set-cookie']?.[0]).toMatch(
      /^__Host-mp_session=[\w-]{43};.*; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(t.app.url).toBe('https://mp.lab.example/');
  });

  it('still refuses any other name (DNS rebinding) and any other origin', async () => {
    const badHost = await rawRequest(t.app.port, { path: '/api/health', headers: { host: 'evil.example' } });
    expect(badHost.status).toBe(403);
    expect(badHost.body).toContain('requests must address 127.0.0.1:');
    expect(badHost.body).toContain('or mp.lab.example');
    const wrongPort = await rawRequest(t.app.port, {
      path: '/api/health',
      headers: { host: 'mp.lab.example:8443' },
    });
    expect(wrongPort.status).toBe(403);
    const badOrigin = await rawRequest(t.app.port, {
      method: 'POST',
      path: '/api/session',
      headers: { host: 'mp.lab.example', origin: 'https://evil.example', 'content-type': 'application/json' },
      body: SIGN_IN,
    });
    expect(badOrigin.status).toBe(403);
    const plainOrigin = await rawRequest(t.app.port, {
      method: 'POST',
      path: '/api/session',
      headers: {
        host: 'mp.lab.example',
        origin: 'http://mp.lab.example',
        'content-type': 'application/json',
      },
      body: SIGN_IN,
    });
    expect(plainOrigin.status).toBe(403);
  });
});

describe('token mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts loopback names only, as before', async () => {
    const named = await rawRequest(t.app.port, { path: '/api/health', headers: { host: 'mp.lab.example' } });
    expect(named.status).toBe(403);
    const loopback = await rawRequest(t.app.port, {
      path: '/api/health',
      headers: { host: `localhost:${t.app.port}` },
    });
    expect(loopback.status).toBe(200);
  });
});

describe('the client address for sign-in limits', () => {
  /** 50 failures from `forwardedFor` (5 names × 10), then the right password from each address. */
  async function exhaust(t: TestApp, forwardedFor: string): Promise<void> {
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      for (let attempt = 0; attempt < 10; attempt++) {
        const answer = await rawRequest(t.app.port, {
          method: 'POST',
          path: '/api/session',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ username: name, password: 'wrong password here' }),
        });
        expect(answer.status).toBe(401);
      }
    }
  }
  function signInFrom(t: TestApp, forwardedFor: string) {
    return rawRequest(t.app.port, {
      method: 'POST',
      path: '/api/session',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: SIGN_IN,
    });
  }
  async function withAccounts(t: TestApp): Promise<void> {
    await addAlice(t);
    const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      await t.app.store.accounts.add({ username: name, role: 'member', passwordHash });
    }
  }

  it('comes from X-Forwarded-For only when --trust-proxy names the proxy', async () => {
    const t = await startTestApp({ serve: { team: true, trustProxy: '127.0.0.1' } });
    try {
      await withAccounts(t);
      await exhaust(t, '198.51.100.1');
      expect((await signInFrom(t, '198.51.100.1')).status).toBe(429);
      expect((await signInFrom(t, '198.51.100.2')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('is the socket’s otherwise: a forged X-Forwarded-For does not escape the limit', async () => {
    const t = await startTestApp({ serve: { team: true } });
    try {
      await withAccounts(t);
      await exhaust(t, '198.51.100.1');
      expect((await signInFrom(t, '198.51.100.2')).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
