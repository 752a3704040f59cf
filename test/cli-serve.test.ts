import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/store/migrations.ts';
import { openSqlite, setPragma } from '../src/store/sqlite.ts';
import { runCli, type SpawnedServer, spawnServer } from './support/spawn-server.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: Parameters<typeof spawnServer>[0]): Promise<SpawnedServer> {
  const server = await spawnServer(options);
  cleanups.push(() => server.stop());
  return server;
}

function tempDir() {
  const dir = makeTempDir('mp-cli-');
  cleanups.push(dir.remove);
  return dir.path;
}

describe('mp serve', () => {
  it('prints where the store is and one listening line, keeps the token in the data dir with mode 0600, and reuses it', async () => {
    const dataDir = tempDir();
    const first = await serve({ dataDir, env: { MP_TOKEN: undefined } });
    expect(first.output().trim().split('\n')).toEqual([
      `Store: SQLite at ${join(dataDir, 'modelprogrammer.db')}`,
      expect.stringMatching(/^ModelProgrammer listening on /),
    ]);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(statSync(join(dataDir, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'modelprogrammer.db')).isFile()).toBe(true);
    const health = await fetch(`http://127.0.0.1:${first.port}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    expect(await first.stop()).toBe(0);

    const second = await serve({ dataDir, env: { MP_TOKEN: undefined } });
    expect(second.token).toBe(first.token);
  });

  it('takes the token from MP_TOKEN instead of the token file', async () => {
    const server = await serve({ dataDir: tempDir(), env: { MP_TOKEN: 'a-token-from-the-environment' } });
    expect(server.token).toBe('a-token-from-the-environment');
    const response = await fetch(`http://127.0.0.1:${server.port}/api/conversations`, {
      headers: { authorization: 'Bearer a-token-from-the-environment' },
    });
    expect(response.status).toBe(200);
  });

  it('keeps what was written across a restart', async () => {
    const dataDir = tempDir();
    const first = await serve({ dataDir });
    const headers = { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' };
    const created = await fetch(`http://127.0.0.1:${first.port}/api/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Survives restarts' }),
    });
    expect(created.status).toBe(201);
    await first.stop();
    const second = await serve({ dataDir });
    const list = (await (
      await fetch(`http://127.0.0.1:${second.port}/api/conversations`, {
        headers: { authorization: `Bearer ${second.token}` },
      })
    ).json()) as { conversations: { title: string }[] };
    expect(list.conversations.map((c) => c.title)).toEqual(['Survives restarts']);
  });

  it('refuses a database from a newer version with a clear message and exit code 1', async () => {
    const dataDir = tempDir();
    const db = openSqlite(join(dataDir, 'modelprogrammer.db'));
    setPragma(db, 'user_version', SCHEMA_VERSION + 5);
    db.close();
    writeFileSync(join(dataDir, 'token'), 'x'.repeat(40), { mode: 0o600 });
    const result = await runCli(['serve', '--no-open', '--port', '0', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/schema version \d+, but this ModelProgrammer understands up to/);
  });

  it('rejects a bad --port with a message', async () => {
    const result = await runCli(['serve', '--no-open', '--port', 'eighty', '--data-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--port must be a whole number/);
  });
});
