/**
 * Choosing the store's engine on the command line (issue 10 item 2): `mp serve --database postgres://…` or
 * `MP_DATABASE_URL` runs on PostgreSQL, `mp import legacy` and `mp doctor` follow the same choice, and every
 * way the database can be unusable (nothing listening, a wrong password, a newer schema, a URL that is not
 * one) ends `mp` with one line saying what to do and exit code 1, never a stack, never the password.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresLocation } from '../src/store/engines/database-url.ts';
import { Store } from '../src/store/store.ts';
import { isolatedEnvironment } from './support/environment.ts';
import { LegacyFixture } from './support/legacy-fixture.ts';
import { closedPort, connectRaw, usePostgres } from './support/postgres.ts';
import { runCli, type SpawnedServer, spawnServer } from './support/spawn-server.ts';
import { postgresTestsReady } from './support/store-engines.ts';
import { makeTempDir } from './support/temp-dir.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = makeTempDir('mp-cli-database-');
  cleanups.push(dir.remove);
  return dir.path;
}

async function serve(options: Parameters<typeof spawnServer>[0]): Promise<SpawnedServer> {
  const server = await spawnServer(options);
  cleanups.push(() => server.stop());
  return server;
}

/** The URL as a person would write it, password included. */
function urlOf(location: PostgresLocation, changes: Partial<PostgresLocation> = {}): string {
  const { user, password, host, port, database } = { ...location, ...changes };
  return `postgres://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
}

/** `mp ARGS` with the data dir's isolated environment; a failure must be one `mp: …` line on stderr. */
async function mp(dataDir: string, args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, { ...isolatedEnvironment(dataDir), ...env });
}

function expectOneActionableLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mp: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('mp serve --database with a URL that is not one', () => {
  it('stops with one line saying what to write, before it reaches anything', async () => {
    const dataDir = tempDir();
    const result = await mp(dataDir, [
      'serve',
      '--no-open',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--database',
      'mysql://me:hunter2@127.0.0.1/mp',
    ]);
    expect(result.code).toBe(1);
    expectOneActionableLine(result.stderr, /the scheme must be postgres:\/\/ \(not mysql\)/);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe.skipIf(!postgresTestsReady())('mp on PostgreSQL', () => {
  const server = usePostgres();

  it('`mp serve --database` keeps the store there, says so without the password, and answers /api/health', async () => {
    const location = await server().createDatabase();
    const dataDir = tempDir();
    const served = await serve({ dataDir, args: ['--database', urlOf(location)] });
    expect(served.output()).toContain(`Store: PostgreSQL at ${location.display}`);
    expect(location.display).toContain(':***@');
    expect(served.output()).not.toContain(location.password!);

    const health = await fetch(`http://127.0.0.1:${served.port}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const created = await fetch(`http://127.0.0.1:${served.port}/api/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Kept on the server' }),
    });
    expect(created.status).toBe(201);
    expect(await served.stop()).toBe(0);

    const client = await connectRaw(location);
    try {
      const { rows } = await client.query('SELECT title FROM conversations');
      expect(rows).toEqual([{ title: 'Kept on the server' }]);
    } finally {
      await client.end();
    }
    expect(existsSync(join(dataDir, 'modelprogrammer.db'))).toBe(false);
  });

  it('takes MP_DATABASE_URL when no --database is given', async () => {
    const location = await server().createDatabase();
    const served = await serve({ dataDir: tempDir(), env: { MP_DATABASE_URL: urlOf(location) } });
    expect(served.output()).toContain(`Store: PostgreSQL at ${location.display}`);
    const health = await fetch(`http://127.0.0.1:${served.port}/api/health`);
    expect(health.status).toBe(200);
  });

  it('refuses a wrong password with one actionable line and exit code 1', async () => {
    const location = await server().createDatabase();
    const dataDir = tempDir();
    const result = await mp(dataDir, [
      'serve',
      '--no-open',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--database',
      urlOf(location, { password: 'not-the-password' }),
    ]);
    expect(result.code).toBe(1);
    expectOneActionableLine(
      result.stderr,
      new RegExp(`refused user "${location.user}" for database "${location.database}".*fix USER:PASSWORD`),
    );
    expect(result.stderr).not.toContain('not-the-password');
  });

  it('says nothing answers at a closed port, with one line and exit code 1', async () => {
    const location = await server().createDatabase();
    const port = await closedPort();
    const dataDir = tempDir();
    const result = await mp(dataDir, ['serve', '--no-open', '--port', '0', '--data-dir', dataDir], {
      MP_DATABASE_URL: urlOf(location, { port }),
    });
    expect(result.code).toBe(1);
    expectOneActionableLine(
      result.stderr,
      new RegExp(`nothing answers at 127\\.0\\.0\\.1:${port}; is PostgreSQL running`),
    );
    expect(result.stderr).not.toContain(location.password!);
  });

  it('refuses a database a newer version has migrated, with one line and exit code 1', async () => {
    const location = await server().createDatabase();
    const store = await Store.open(location);
    await store.close();
    const client = await connectRaw(location);
    try {
      await client.query(
        "INSERT INTO mp_schema_migrations (version, description, applied_at) VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')",
      );
    } finally {
      await client.end();
    }
    const dataDir = tempDir();
    const result = await mp(dataDir, [
      'serve',
      '--no-open',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--database',
      urlOf(location),
    ]);
    expect(result.code).toBe(1);
    expectOneActionableLine(
      result.stderr,
      /has schema version 999, but this ModelProgrammer understands up to \d+; upgrade ModelProgrammer/,
    );
  });

  it('`mp import legacy --database` imports there, and a second run adds nothing', async () => {
    const location = await server().createDatabase();
    const dir = tempDir();
    const legacy = new LegacyFixture();
    const ask = legacy.human('hi');
    legacy.snapshot([ask]);
    legacy.snapshot([ask, legacy.answer('hello').message]);
    const file = legacy.write(join(dir, 'old-app.db'));
    const dataDir = join(dir, 'data');

    const first = await mp(dir, [
      'import',
      'legacy',
      file,
      '--data-dir',
      dataDir,
      '--database',
      urlOf(location),
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'Imported 1 conversation, 2 messages (0 edits as revisions), 1 model call from old-app.db\n',
    );
    const second = await mp(dir, ['import', 'legacy', file, '--data-dir', dataDir], {
      MP_DATABASE_URL: urlOf(location),
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Nothing new to import from old-app.db (already imported)\n');
    expect(existsSync(join(dataDir, 'modelprogrammer.db'))).toBe(false);
  });

  it('`mp doctor` names the engine and its schema, or why it cannot be used', async () => {
    const location = await server().createDatabase();
    const dataDir = tempDir();
    const fresh = await mp(dataDir, ['doctor', '--data-dir', dataDir], { MP_DATABASE_URL: urlOf(location) });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/Store\s+PostgreSQL \(MP_DATABASE_URL\)/);
    expect(fresh.stdout).toContain(`Database   ${location.display} (schema 0 of`);
    expect(fresh.stdout).not.toContain(location.password!);

    const port = await closedPort();
    const down = await mp(dataDir, [
      'doctor',
      '--data-dir',
      dataDir,
      '--database',
      urlOf(location, { port }),
    ]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/Store\s+PostgreSQL \(--database\)/);
    expect(down.stdout).toMatch(new RegExp(`Database\\s+✗ nothing answers at 127\\.0\\.0\\.1:${port}`));

    const sqlite = await mp(dataDir, ['doctor', '--data-dir', dataDir]);
    expect(sqlite.stdout).toMatch(/Store\s+SQLite in the data dir/);
  });
});
