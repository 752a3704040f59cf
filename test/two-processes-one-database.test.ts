/**
 * Issue 10 item 4, "a change made through one appears as a live event on the other", with two real `mp serve`
 * processes (test/two-servers-one-database.test.ts runs two apps inside this process): each has its own data
 * dir and token, both use one fresh database of the file's PostgreSQL server. A conversation created through
 * A's API arrives on B's live-event stream; each wait has a deadline, nothing sleeps. Both then stop on SIGTERM
 * with exit code 0, B with its stream still open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../src/core/api/events.ts';
import type { PostgresLocation } from '../src/store/engines/database-url.ts';
import { type LiveEvents, openLiveEvents } from './support/live-events.ts';
import { usePostgres } from './support/postgres.ts';
import { type SpawnedServer, spawnServer } from './support/spawn-server.ts';
import { postgresTestsReady } from './support/store-engines.ts';
import { makeTempDir } from './support/temp-dir.ts';
import type { TestApp } from './support/test-app.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The URL as a person would write it (test/cli-database.test.ts does the same). */
function urlOf(location: PostgresLocation): string {
  const { user, password, host, port, database } = location;
  return `postgres://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
}

async function serve(database: string): Promise<SpawnedServer> {
  const dir = makeTempDir('mp-two-processes-');
  cleanups.push(dir.remove);
  const server = await spawnServer({ dataDir: dir.path, args: ['--database', database] });
  cleanups.push(() => server.stop());
  return server;
}

/** A request to a spawned server with its own token, shaped as openLiveEvents expects. */
function client(server: SpawnedServer): Pick<TestApp, 'api' | 'baseUrl' | 'token'> {
  const baseUrl = `http://127.0.0.1:${server.port}`;
  return {
    baseUrl,
    token: server.token,
    api: (method, path, body, headers = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${server.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

/** `promise`, or a failure naming what did not come within `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not come within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe.skipIf(!postgresTestsReady())('two mp serve processes on one PostgreSQL database', () => {
  const postgres = usePostgres();

  it("shows a conversation created through A on B's live-event stream, then both stop cleanly", async () => {
    const database = urlOf(await postgres().createDatabase());
    const [a, b] = await Promise.all([serve(database), serve(database)]);
    expect(a.child.pid).not.toBe(b.child.pid);
    expect(a.token).not.toBe(b.token);

    const onB: LiveEvents = await openLiveEvents(client(b) as TestApp);
    cleanups.push(() => onB.close());
    const created = await client(a).api('POST', '/api/conversations', { title: 'made through A' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const event = await within(
      onB.seen(
        (candidate: LiveEvent) =>
          candidate.type === 'conversation-created' && candidate.conversationId === id,
      ),
      "conversation-created on B's stream",
    );
    expect(event).toMatchObject({ type: 'conversation-created', conversationId: id });
    // B serves what A wrote, from the same database.
    const read = await client(b).api('GET', `/api/conversations/${id}`);
    expect(((await read.json()) as { title: string }).title).toBe('made through A');

    expect(await within(b.stop(), 'B exiting on SIGTERM with its stream open')).toBe(0);
    expect(await within(a.stop(), 'A exiting on SIGTERM')).toBe(0);
    expect(`${a.output()}${b.output()}`).not.toMatch(/error/i);
  });
});
