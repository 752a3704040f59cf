/**
 * `mp serve --team` and `--host` on the command line (issue 10 item 3): a team server prints its URL without a
 * sign-in code and says when it has no admin yet; an address beyond loopback is refused without --team, with
 * the reason and what to run, before anything listens; `mp url` prints a team server's plain address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnvironment } from './support/environment.ts';
import { runCli, spawnServer } from './support/spawn-server.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = makeTempDir('mp-serve-team-');
  cleanups.push(dir.remove);
  return dir.path;
}

describe('mp serve --team', () => {
  it('prints its URL without a sign-in code, says there is no admin yet, and refuses the token', async () => {
    const dataDir = tempDir();
    const server = await spawnServer({ dataDir, args: ['--team'] });
    cleanups.push(() => server.stop());
    expect(server.code).toBe('');
    expect(server.output()).toMatch(
      /ModelProgrammer listening on http:\/\/127\.0\.0\.1:\d+\/ \(team server: people sign in with their accounts/,
    );
    // On stderr, which may arrive after the listening line on stdout.
    await expect
      .poll(() => server.output())
      .toContain('no admin account yet: add one with `mp user add NAME --role admin`');
    const withToken = await fetch(`http://127.0.0.1:${server.port}/api/conversations`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(withToken.status).toBe(401);
    const state = await fetch(`http://127.0.0.1:${server.port}/api/session`);
    expect(await state.json()).toEqual({ mode: 'team', account: null, csrfToken: null });
  });
});

describe('mp url on a team server', () => {
  it('prints the plain address and says to sign in with an account, not a sign-in link', async () => {
    const dataDir = tempDir();
    const server = await spawnServer({ dataDir, args: ['--team'] });
    cleanups.push(() => server.stop());
    const result = await runCli(['url', '--data-dir', dataDir], { MP_TOKEN: '', MP_PORT: '' });
    expect(result).toEqual({
      code: 0,
      stdout: `http://127.0.0.1:${server.port}/\n`,
      stderr:
        'this is a team server: sign in there with your account (an admin adds one in Settings → Accounts, or `mp user add NAME --role ROLE` here)\n',
    });
    // Once it stops, the port file goes and `mp url` no longer claims a team server is there.
    expect(await server.stop()).toBe(0);
    const after = await runCli(['url', '--data-dir', dataDir], { MP_TOKEN: '', MP_PORT: '' });
    expect(after.stdout).toMatch(/#code=/);
  });
});

describe('mp serve --host', () => {
  it('refuses an address beyond loopback without --team, in one line, before listening', async () => {
    const dataDir = tempDir();
    const result = await runCli(
      ['serve', '--no-open', '--port', '0', '--data-dir', dataDir, '--host', '0.0.0.0'],
      isolatedEnvironment(dataDir),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'mp: listening on 0.0.0.0 reaches beyond this machine, which needs --team (accounts and sessions; the ' +
        'single token is for one person on loopback): add an admin with `mp user add NAME --role admin`, then ' +
        '`mp serve --team --host 0.0.0.0`\n',
    );
    expect(result.stdout).not.toContain('listening on');
  });

  it('refuses half a TLS pair', async () => {
    const dataDir = tempDir();
    const result = await runCli(
      [
        'serve',
        '--no-open',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--team',
        '--tls-cert',
        '/nonexistent.pem',
      ],
      isolatedEnvironment(dataDir),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'mp: --tls-cert and --tls-key go together: give both (PEM files), or neither\n',
    );
  });
});
