/**
 * Issue 7 item 2: the credential stays with this origin. Browsers send a cookie for 127.0.0.1 to every port of
 * it, so a cookie carried the token to any local server the person visited. Now there is no cookie at all, the
 * server reads the token only from `Authorization`, and the page keeps it in per-origin storage.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSignInCode } from '../../src/server/sign-in-code.ts';
import {
  assertWebBuildCurrent,
  launchBrowser,
  openSignedIn,
  type RunningServer,
} from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { rawRequest, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the token on the wire', () => {
  it('sets no cookie at all, on any answer, so no other port of 127.0.0.1 is ever sent the token', async () => {
    const code = mintSignInCode(t.token);
    const answers = [
      await rawRequest(t.app.port, { path: '/' }),
      await rawRequest(t.app.port, { path: `/?token=${t.token}` }),
      await rawRequest(t.app.port, { path: '/index.html' }),
      await rawRequest(t.app.port, { path: '/api/health' }),
      await rawRequest(t.app.port, {
        path: '/api/conversations',
        headers: { authorization: `Bearer ${t.token}` },
      }),
      await rawRequest(t.app.port, {
        method: 'POST',
        path: '/api/session/code',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      }),
    ];
    expect(answers.at(-1)?.status).toBe(200);
    for (const answer of answers) expect(answer.headers['set-cookie']).toBeUndefined();
  });

  it('takes the token neither from the query string nor from a cookie', async () => {
    for (const path of [
      `/api/conversations?token=${t.token}`,
      `/api/events?token=${t.token}`,
      `/api/openapi.json?access_token=${t.token}`,
    ]) {
      expect((await rawRequest(t.app.port, { path, headersOnly: true })).status, path).toBe(401);
    }
    for (const cookie of [`mp_token_${t.app.port}=${t.token}`, `mp_token=${t.token}`, `token=${t.token}`]) {
      const answer = await rawRequest(t.app.port, { path: '/api/conversations', headers: { cookie } });
      expect(answer.status, cookie).toBe(401);
    }
  });

  it('describes bearer auth only, and the public routes as needing none, in the OpenAPI document', async () => {
    const document = (await (await t.api('GET', '/api/openapi.json')).json()) as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer']);
    expect(document.paths['/api/session/code']?.post?.security).toEqual([]);
    expect(document.paths['/api/health']?.get?.security).toEqual([]);
    expect(document.paths['/api/conversations']?.get?.security).toBeUndefined();
  });
});

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

describe.runIf(available)('a signed-in browser', () => {
  let browser: Browser;
  let server: RunningServer;
  /** Another local server on another port of 127.0.0.1, as a page the person might visit. */
  let other: Server;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    assertWebBuildCurrent();
    browser = await launchBrowser();
    server = {
      signInUrl: t.app.signInUrl(),
      origin: t.baseUrl,
      token: t.token,
      dataDir: t.dataDir,
      stop: async () => {},
    };
    other = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await browser?.close();
    other?.closeAllConnections();
    if (other !== undefined) await new Promise((resolve) => other.close(resolve));
  });

  it('gives a page on another port of 127.0.0.1 neither a cookie nor anything from storage', async () => {
    const { context, page } = await openSignedIn(browser, server);
    // Signed in: this tab holds the token, and the app works.
    expect(await page.evaluate(() => sessionStorage.getItem('mp.token'))).toBe(t.token);
    expect(await context.cookies()).toEqual([]);

    const otherPort = (other.address() as AddressInfo).port;
    const visit = await context.newPage();
    await visit.goto(`http://127.0.0.1:${otherPort}/`);
    const found = await visit.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(found.cookie).toBe('');
    expect(`${found.local}${found.session}`).not.toContain(t.token);
    expect(JSON.stringify(seen)).not.toContain(t.token);
    await context.close();
  });

  it('takes the code out of the address bar, and says so when a link was used already', async () => {
    const code = mintSignInCode(t.token);
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(`${t.baseUrl}/#code=${code}`);
    await first.waitForFunction(() => sessionStorage.getItem('mp.token') !== null);
    expect(first.url()).not.toContain('code=');

    // The same link again, in a context that has no token: the page says why and how to get in.
    const elsewhere = await browser.newContext();
    const second = await elsewhere.newPage();
    await second.goto(`${t.baseUrl}/#code=${code}`);
    await second.getByText('This sign-in link was used already').waitFor();
    await second.getByText('mp url', { exact: true }).first().waitFor();
    expect(second.url()).not.toContain('code=');

    // Pasting the token from the data dir signs it in.
    await second.getByLabel(/paste the token/).fill(t.token);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByRole('navigation', { name: 'Conversations' }).waitFor();
    await context.close();
    await elsewhere.close();
  });
});
