/**
 * Issue 7 item 2: the URL a browser is opened with carries a single-use code that expires in a minute, never the
 * token (that URL sits in the opener's argv, readable by every user, and in the browser's history). The code is
 * traded for the token at `POST /api/session/code`; the clock is injected, nothing sleeps.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mintSignInCode, SIGN_IN_CODE_LIFETIME_MS, SignInCodes } from '../../src/server/sign-in-code.ts';
import { runCli, spawnServer } from '../support/spawn-server.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { type BareServer, startBareServer } from '../support/test-app.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWithClock(): Promise<{ server: BareServer; clock: { now: number } }> {
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const server = await startBareServer({ now: () => clock.now });
  cleanups.push(() => server.close());
  return { server, clock };
}

function redeem(server: BareServer, code: string) {
  return fetch(`${server.baseUrl}/api/session/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('a sign-in code', () => {
  it('signs in once: it answers the token, and the same code is then refused as used', async () => {
    const { server, clock } = await serverWithClock();
    const code = mintSignInCode(server.token, clock.now);
    const first = await redeem(server, code);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ token: server.token });
    const again = await redeem(server, code);
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('sign_in_code_used');
  });

  it('works until its 60 s are up and not after (the clock moves, nothing sleeps)', async () => {
    const { server, clock } = await serverWithClock();
    const minted = clock.now;
    const late = mintSignInCode(server.token, minted);
    const justInTime = mintSignInCode(server.token, minted);
    clock.now = minted + SIGN_IN_CODE_LIFETIME_MS - 1;
    expect((await redeem(server, justInTime)).status).toBe(200);
    clock.now = minted + SIGN_IN_CODE_LIFETIME_MS;
    const expired = await redeem(server, late);
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('sign_in_code_expired');
  });

  it('is refused when made with another token, altered, or claiming to live longer than 60 s', async () => {
    const { server, clock } = await serverWithClock();
    const good = mintSignInCode(server.token, clock.now);
    const [expiry, nonce, mac] = good.split('.') as [string, string, string];
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    for (const code of [
      mintSignInCode('some-other-instance-token-0123456789', clock.now),
      `${expiry}.${nonce}.${flipped}`,
      `${(Number.parseInt(expiry, 36) + 1).toString(36)}.${nonce}.${mac}`,
      mintSignInCode(server.token, clock.now + 10 * 60_000),
      server.token,
      '',
    ]) {
      const answer = await redeem(server, code);
      expect(answer.status, code).toBeOneOf([400, 401]);
      expect((await answer.text()).includes(server.token), code).toBe(false);
    }
  });

  it('remembers used codes only until they expire, so that memory stays bounded', () => {
    const clock = { now: 1_000_000 };
    const codes = new SignInCodes({ token: 'a-token-0123456789abcdef', now: () => clock.now });
    for (let index = 0; index < 100; index++) {
      expect(codes.redeem(mintSignInCode('a-token-0123456789abcdef', clock.now)).ok).toBe(true);
    }
    expect(codes.rememberedCount).toBe(100);
    clock.now += SIGN_IN_CODE_LIFETIME_MS;
    expect(codes.redeem('x.y.z').ok).toBe(false);
    expect(codes.rememberedCount).toBe(0);
  });

  it('refuses a flood of wrong codes for the rest of the minute (429), and a body past 1 KB (413)', async () => {
    const { server, clock } = await serverWithClock();
    const wrong = mintSignInCode('some-other-instance-token-0123456789', clock.now);
    for (let attempt = 0; attempt < 20; attempt++) expect((await redeem(server, wrong)).status).toBe(401);
    const flooded = await redeem(server, mintSignInCode(server.token, clock.now));
    expect(flooded.status).toBe(429);
    expect(flooded.headers.get('retry-after')).toBe('60');
    clock.now += 60_000;
    expect((await redeem(server, mintSignInCode(server.token, clock.now))).status).toBe(200);
    const huge = await fetch(`${server.baseUrl}/api/session/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'x'.repeat(4096) }),
    });
    expect(huge.status).toBe(413);
  });
});

describe('the link mp serve prints and opens', () => {
  it('carries a working single-use code and never the token, in the printed line, the opener argv or ps', async () => {
    const dir = makeTempDir('mp-sign-in-');
    cleanups.push(dir.remove);
    // A stand-in for xdg-open that writes down the arguments it was given.
    const opened = join(dir.path, 'opened.txt');
    const bin = join(dir.path, 'bin');
    const opener = join(bin, 'xdg-open');
    mkdirSync(bin);
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > '${opened}'\n`);
    chmodSync(opener, 0o755);
    const server = await spawnServer({
      dataDir: join(dir.path, 'data'),
      open: true,
      env: { MP_TOKEN: undefined, DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}` },
    });
    cleanups.push(() => server.stop());
    const token = server.token;
    expect(token.length).toBeGreaterThanOrEqual(32);

    expect(server.output()).not.toContain(token);
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#code=`));
    await expect.poll(() => existsSync(opened)).toBe(true);
    const openedUrl = readFileSync(opened, 'utf8').trim();
    expect(openedUrl).not.toContain(token);
    expect(openedUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#code=`));
    const commandLine = readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8');
    expect(commandLine).not.toContain(token);

    // Both codes work once each.
    for (const url of [server.url, openedUrl]) {
      const code = new URL(url).hash.slice('#code='.length);
      const exchange = (body: string) =>
        fetch(`http://127.0.0.1:${server.port}/api/session/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      expect(await (await exchange(JSON.stringify({ code }))).json()).toEqual({ token });
      expect((await exchange(JSON.stringify({ code }))).status).toBe(401);
    }

    // `mp url` mints a fresh one from the token file, for the port the server wrote down.
    const fresh = await runCli(['url', '--data-dir', join(dir.path, 'data')], { MP_TOKEN: '', MP_PORT: '' });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).not.toContain(token);
    const freshUrl = fresh.stdout.trim();
    expect(freshUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#code=`));
    const answer = await fetch(`http://127.0.0.1:${server.port}/api/session/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: new URL(freshUrl).hash.slice('#code='.length) }),
    });
    expect(answer.status).toBe(200);
  });

  it('mp url says what to do when there is no token yet', async () => {
    const dir = makeTempDir('mp-sign-in-');
    cleanups.push(dir.remove);
    const result = await runCli(['url', '--data-dir', dir.path], { MP_TOKEN: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no token at .*token yet: start the server once with `mp serve`/);
  });
});
