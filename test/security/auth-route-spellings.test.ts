/**
 * Issue 7 item 1: authentication is decided on the route the router matched, never on the raw URL. The router
 * decodes and normalises the path (`/%61pi/conversations` is `/api/conversations` to it), so a check on
 * `request.url` let every route through under another spelling. This walks every route the server registered
 * (not a hand-made list), with many spellings and every method, and expects no answer without the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../../src/server/create-server.ts';
import { rawRequest, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** Only refusals: 401 (no token), 403 (Host/Origin), 404 (no such route, and then still 401 first). */
const REFUSALS = [401, 403, 404];

/** A concrete path for a route's URL: each `:param` gets a plausible id. */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
}

const encode = (character: string) =>
  `%${character.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`;

/** Ways to write the same path that a router or a browser may treat as it. */
function spellings(path: string): Record<string, string> {
  const segments = path.split('/').slice(1);
  const first = segments[0] ?? '';
  const rest = segments.slice(1).join('/');
  return {
    'every letter percent-encoded': path.replace(/[a-z]/gi, encode),
    'every letter percent-encoded, lower-case hex': path.replace(/[a-z]/gi, (c) => encode(c).toLowerCase()),
    'first letter of each segment percent-encoded': path.replace(
      /\/([a-z])/gi,
      (_m, c: string) => `/${encode(c)}`,
    ),
    'upper-case': path.toUpperCase(),
    'first segment capitalised': `/${first.charAt(0).toUpperCase()}${first.slice(1)}/${rest}`,
    'a /./ segment': `/${first}/./${rest}`,
    'a %2e segment': `/${first}/%2e/${rest}`,
    'a /x/../ segment': `/${first}/x/../${rest}`,
    'a %2e%2e segment': `/${first}/x/%2e%2e/${rest}`,
    'a leading //': `/${path}`,
    'a doubled // inside': path.replace(/\/(?=[^/]*$)/, '//'),
    'a trailing /': `${path}/`,
    'slashes as %2F': `/${segments.join('%2F')}`,
    'slashes as %2f': `/${segments.join('%2f')}`,
    'a backslash': `/${segments.join('\\')}`,
    'a ;parameter': `${path};x=1`,
    'the token in the query': `${path}?token=${t.token}`,
  };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

function isPublic(routes: readonly RegisteredRoute[], method: string, url: string): boolean {
  return routes.some((route) => route.method === method && route.url === url && route.public);
}

describe('authentication on the matched route', () => {
  it('walks a route list that holds the API, the event stream and the page', () => {
    const urls = new Set(t.app.routes.map((route) => route.url));
    // A sanity check that the walk below covers the server, not an empty list.
    expect(urls).toContain('/api/conversations/:id');
    expect(urls).toContain('/api/events');
    expect(urls).toContain('/api/settings');
    expect(
      t.app.routes.filter((route) => route.public).map((route) => `${route.method} ${route.url}`),
    ).toEqual(expect.arrayContaining(['GET /api/health', 'POST /api/session/code', 'GET /']));
    // Nothing that changes state, reads data or streams events is public.
    for (const route of t.app.routes.filter((candidate) => candidate.public)) {
      expect(
        route.url === '/' ||
          route.url === '/index.html' ||
          route.url.startsWith('/assets/') ||
          route.url === '/api/health' ||
          route.url === '/api/session/code',
        `${route.method} ${route.url} is public`,
      ).toBe(true);
    }
  });

  it('answers no spelling of any route, with any method, without the token', async () => {
    const routes = t.app.routes;
    const probes: { method: string; path: string; label: string }[] = [];
    for (const url of new Set(routes.map((route) => route.url))) {
      const path = concrete(url);
      for (const method of METHODS) {
        // A public route answers under its own spellings by design; everything else must not.
        if (isPublic(routes, method, url)) continue;
        for (const [name, spelled] of Object.entries({ canonical: path, ...spellings(path) })) {
          probes.push({ method, path: spelled, label: `${url}, ${name}` });
        }
      }
    }
    const failures: string[] = [];
    await inParallel(probes, 16, async (probe) => {
      const answer = await rawRequest(t.app.port, {
        method: probe.method,
        path: probe.path,
        headers: { 'content-type': 'application/json' },
        body: ['GET', 'HEAD', 'OPTIONS'].includes(probe.method) ? undefined : '{}',
        headersOnly: true,
      });
      if (!REFUSALS.includes(answer.status) || answer.headers.location !== undefined) {
        failures.push(`${probe.method} ${probe.path} (${probe.label}) → ${answer.status}`);
      }
    });
    expect(failures).toEqual([]);
    expect(probes.length).toBeGreaterThan(1000);
  });

  it('answers an unknown path 401 without the token, so no stranger learns which routes exist', async () => {
    for (const path of ['/api/no-such-route', '/no-such-page', '/favicon.ico', '/api', '/API/HEALTH']) {
      const answer = await rawRequest(t.app.port, { path });
      expect(answer.status, path).toBe(401);
    }
    const withToken = await rawRequest(t.app.port, {
      path: '/no-such-page',
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(withToken.status).toBe(404);
  });

  it('still lets the token through on every route written canonically', async () => {
    const failures: string[] = [];
    for (const route of t.app.routes) {
      if (route.public) continue;
      const answer = await rawRequest(t.app.port, {
        method: route.method,
        path: concrete(route.url),
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}',
        headersOnly: true,
      });
      // A made-up id answers 404 and an empty body 400: the route ran, past authentication.
      if (answer.status === 401 || answer.status === 403) {
        failures.push(`${route.method} ${route.url} → ${answer.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('no open redirect', () => {
  it('redirects nowhere, least of all off-site, whatever the path or query', async () => {
    const paths = [
      `//evil.example/?token=${t.token}`,
      `//evil.example/%2F..?token=${t.token}`,
      `/\\evil.example/?token=${t.token}`,
      `/%2F%2Fevil.example/?token=${t.token}`,
      `///evil.example/?token=${t.token}`,
      `/?token=${t.token}`,
      `/index.html?token=${t.token}`,
      '/assets',
      '/assets/',
    ];
    for (const path of paths) {
      for (const headers of [{}, { authorization: `Bearer ${t.token}` }] as Record<string, string>[]) {
        const answer = await rawRequest(t.app.port, { path, headers });
        expect(answer.status >= 300 && answer.status < 400, `${path} → ${answer.status}`).toBe(false);
        expect(answer.headers.location, path).toBeUndefined();
      }
    }
  });
});
