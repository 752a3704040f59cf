/**
 * A real PostgreSQL server for tests (issue 10), from one of two places:
 * - `MP_TEST_DATABASE_URL`: a server someone runs, given as a URL whose user may create databases;
 * - else Debian's `postgresql` package (`/usr/lib/postgresql/<major>/bin`, or `initdb` on PATH elsewhere): a
 *   throwaway cluster in a temp dir, started for one test file on 127.0.0.1 and a free port, with its unix
 *   socket in the same temp dir. As root it runs as the `postgres` user (`runuser`), because PostgreSQL
 *   refuses to run as root. Password authentication over TCP (scram-sha-256), so wrong credentials can be
 *   tested; fsync off, since the data dies with the test.
 * Each test asks for fresh databases (`createDatabase`); `stop()` drops them, or stops and removes the cluster.
 *
 * @example
 * const ready = requirement(POSTGRES_REQUIREMENT, postgresAvailability().available);
 * describe.skipIf(!ready)('…', () => {
 *   const server = usePostgres();
 *   it('…', async () => { const location = await server().createDatabase(); … });
 * });
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type PostgresLocation, parsePostgresUrl } from '../../src/store/engines/database-url.ts';

export const POSTGRES_REQUIREMENT =
  "PostgreSQL (MP_TEST_DATABASE_URL, or Debian's postgresql package to start a throwaway cluster)";

export interface TestPostgres {
  /** The superuser's (or the URL's) location, connected to the `postgres` maintenance database. */
  readonly admin: PostgresLocation;
  /** A new empty database owned by the admin user, dropped by `stop()`. */
  createDatabase(): Promise<PostgresLocation>;
  stop(): Promise<void>;
}

type Availability = { available: true; source: 'url' | 'cluster' } | { available: false; reason: string };

export function postgresAvailability(): Availability {
  if (nonEmpty(process.env.MP_TEST_DATABASE_URL)) return { available: true, source: 'url' };
  const binDir = findBinDir();
  if (binDir === undefined) return { available: false, reason: 'no initdb found' };
  if (isRoot() && !hasUser('postgres'))
    return { available: false, reason: 'running as root without a postgres user' };
  return { available: true, source: 'cluster' };
}

/** Starts (or connects to) a server before the file's tests and stops it after them. */
export function usePostgres(): () => TestPostgres {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL test server did not start');
    return server;
  };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const url = nonEmpty(process.env.MP_TEST_DATABASE_URL);
  if (url !== undefined) return withDatabases(parsePostgresUrl(url), async () => {});
  const cluster = await startCluster();
  return withDatabases(cluster.admin, async () => cluster.stop());
}

/** A client for the location (the test's own raw SQL; the store goes through postgres-engine.ts). */
export async function connectRaw(location: PostgresLocation): Promise<pg.Client> {
  const client = new pg.Client({
    host: location.host,
    port: location.port,
    user: location.user,
    password: location.password,
    database: location.database,
  });
  await client.connect();
  return client;
}

/** A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function withDatabases(admin: PostgresLocation, stopServer: () => Promise<void>): TestPostgres {
  const created: string[] = [];
  return {
    admin,
    async createDatabase() {
      const name = `mp_test_${randomBytes(6).toString('hex')}`;
      const client = await connectRaw(admin);
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      return { ...admin, database: name, display: admin.display.replace(/\/[^/?]*(\?|$)/, `/${name}$1`) };
    },
    async stop() {
      if (created.length > 0) {
        const client = await connectRaw(admin);
        try {
          for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      }
      await stopServer();
    },
  };
}

interface Cluster {
  admin: PostgresLocation;
  stop(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
  const binDir = findBinDir();
  if (binDir === undefined) throw new Error('no initdb found');
  const dir = mkdtempSync(join(tmpdir(), 'mp-postgres-'));
  const asPostgres = (command: string, args: string[]) =>
    isRoot()
      ? (['runuser', ['-u', 'postgres', '--', join(binDir, command), ...args]] as const)
      : ([join(binDir, command), args] as const);
  const run = (command: string, args: string[]) => {
    const [file, fileArgs] = asPostgres(command, args);
    execFileSync(file, fileArgs, { stdio: 'pipe' });
  };
  const password = randomBytes(12).toString('hex');
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  writeFileSync(join(dir, 'password'), password, { mode: 0o600 });
  if (isRoot()) {
    const { uid, gid } = userIds('postgres');
    for (const path of [dir, socketDir, join(dir, 'password')]) chownSync(path, uid, gid);
  }
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running (it failed to start, or stopped already): only the folder is left to remove.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test runner that dies still runs exit handlers: the cluster must not outlive the test process.
  process.once('exit', stop);
  try {
    run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${join(dir, 'password')}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--no-instructions',
    ]);
    const port = await startOnFreePort((port) =>
      run('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
        'start',
      ]),
    );
    const admin = parsePostgresUrl(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
    return {
      admin,
      async stop() {
        process.removeListener('exit', stop);
        stop();
      },
    };
  } catch (error) {
    process.removeListener('exit', stop);
    stop();
    throw error;
  }
}

/** Another process may take the port between our check and the server's bind: try a few. */
async function startOnFreePort(start: (port: number) => void): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await closedPort();
    try {
      start(port);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0] !== undefined) return join(root, majors[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    return initdb === '' ? undefined : join(initdb, '..');
  } catch {
    return undefined;
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function hasUser(name: string): boolean {
  try {
    userIds(name);
    return true;
  } catch {
    return false;
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
