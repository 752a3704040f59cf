/**
 * Two server processes on one PostgreSQL database (issue 10 item 4), as two apps in this process, each with
 * its own data dir, pool and connection for live events: what one changes appears live on the other's
 * stream; a conversation's shell runs in one of them and the other refuses its commands, saying where;
 * a server that starts leaves the other's running command alone; and a dropped listening connection comes
 * back and tells clients to refetch. Each wait has a deadline instead of a sleep.
 */
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../src/core/api/events.ts';
import { ConversationWithMessagesSchema, ErrorSchema } from '../src/core/api/schemas.ts';
import { ExecutionSchema } from '../src/core/api/terminal-schemas.ts';
import type { PostgresLocation } from '../src/store/engines/database-url.ts';
import { requirement } from './support/environment.ts';
import { type LiveEvents, openLiveEvents } from './support/live-events.ts';
import { connectRaw, POSTGRES_REQUIREMENT, postgresAvailability, usePostgres } from './support/postgres.ts';
import { expectJson, settle, startTestApp, type TestApp } from './support/test-app.ts';

const ready = requirement(POSTGRES_REQUIREMENT, postgresAvailability().available);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `promise`, or a failure naming what did not come within `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not come within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function app(database: PostgresLocation): Promise<TestApp> {
  const started = await startTestApp({ database });
  // A test may stop one itself (the claim goes with it); the cleanup then has nothing left to do.
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= started.close();
    return closed;
  };
  cleanups.push(close);
  return { ...started, close };
}

async function events(t: TestApp): Promise<LiveEvents> {
  const stream = await openLiveEvents(t);
  cleanups.push(() => stream.close());
  return stream;
}

async function conversation(t: TestApp, title: string): Promise<string> {
  const created = await expectJson(
    await t.api('POST', '/api/conversations', { title }),
    ConversationWithMessagesSchema,
    201,
  );
  return created.id;
}

const is =
  <T extends LiveEvent['type']>(type: T, conversationId?: string) =>
  (event: LiveEvent): event is Extract<LiveEvent, { type: T }> =>
    event.type === type && (conversationId === undefined || event.conversationId === conversationId);

describe.skipIf(!ready)('two servers on one PostgreSQL database', () => {
  const server = usePostgres();

  it("shows one server's changes as live events on the other's stream, in order, and never twice", async () => {
    const database = await server().createDatabase();
    const [a, b] = [await app(database), await app(database)];
    const [onA, onB] = [await events(a), await events(b)];

    const id = await conversation(a, 'made on A');
    await within(onB.seen(is('conversation-created', id)), 'conversation-created on B');
    const message = await a.api('POST', `/api/conversations/${id}/messages`, {
      role: 'user',
      content: 'hello from A',
      send: false,
    });
    expect(message.status).toBe(201);
    const seen = await within(onB.seen(is('message-created', id)), 'message-created on B');
    expect(seen.message.content).toBe('hello from A');
    // B's own change goes the other way.
    const fromB = await conversation(b, 'made on B');
    await within(onA.seen(is('conversation-created', fromB)), 'conversation-created on A');

    // A relayed event is published once on the other side, and not sent back to where it came from.
    const onAAgain = onA.received.filter((event) => is('conversation-created', id)(event));
    const onBOnce = onB.received.filter((event) => is('conversation-created', id)(event));
    expect([onAAgain.length, onBOnce.length]).toEqual([1, 1]);

    // Latency from the request on A to the event on A's own stream and on B's (reported, generously bounded).
    const known = new Set(
      onB.received.filter(is('conversation-created')).map((event) => event.conversationId),
    );
    const toA: number[] = [];
    const toB: number[] = [];
    for (let round = 0; round < 40; round++) {
      // Judged against the ids known before this round: the answer to the POST may be read before the event.
      const before = new Set(known);
      const fresh = (event: LiveEvent) =>
        is('conversation-created')(event) && !before.has(event.conversationId);
      const sent = performance.now();
      const onASeen = within(onA.seen(fresh), 'on A').then(() => performance.now() - sent);
      const onBSeen = within(onB.seen(fresh), 'on B').then(() => performance.now() - sent);
      known.add(await conversation(a, `round ${round}`));
      toA.push(await onASeen);
      toB.push(await onBSeen);
    }
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const p95 = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length * 0.95)]!;
    console.info(
      `conversation-created after POST on A: on A's stream median ${median(toA).toFixed(2)} ms ` +
        `(p95 ${p95(toA).toFixed(2)}), on B's median ${median(toB).toFixed(2)} ms (p95 ${p95(toB).toFixed(2)})`,
    );
    expect(median(toB)).toBeLessThan(500);
  });

  it('turns an event too large for NOTIFY into a resync of its conversation on the other server', async () => {
    const database = await server().createDatabase();
    const [a, b] = [await app(database), await app(database)];
    const [onA, onB] = [await events(a), await events(b)];
    const id = await conversation(a, 'long');
    const content = `${'a long paste, '.repeat(1500)}end`;
    expect(
      (
        await a.api('POST', `/api/conversations/${id}/messages`, {
          role: 'user',
          content,
          send: false,
        })
      ).status,
    ).toBe(201);
    // A's own clients get the message itself; B's are told to refetch the conversation, which has it.
    expect((await within(onA.seen(is('message-created', id)), 'on A')).message.content).toBe(content);
    await within(onB.seen(is('resync', id)), 'resync on B');
    expect(onB.received.some(is('message-created', id))).toBe(false);
    const onBNow = await expectJson(
      await b.api('GET', `/api/conversations/${id}`),
      ConversationWithMessagesSchema,
    );
    expect(onBNow.messages.map((message) => message.content)).toEqual([content]);
  });

  it("refuses a command where the conversation's shell runs in the other server, saying which", async () => {
    const database = await server().createDatabase();
    const [a, b] = [await app(database), await app(database)];
    const id = await conversation(a, 'shell');
    await a.api('PATCH', `/api/conversations/${id}`, { sandbox: 'host' });

    const ran = await expectJson(
      await a.api('POST', `/api/conversations/${id}/run`, { command: 'echo in A' }),
      ExecutionSchema,
    );
    await settle(a.app);
    expect(
      (await expectJson(await a.api('GET', `/api/executions/${ran.id}`), ExecutionSchema)).output,
    ).toContain('in A');

    const refused = await expectJson(
      await b.api('POST', `/api/conversations/${id}/run`, { command: 'echo in B' }),
      ErrorSchema,
      409,
    );
    expect(refused.error).toMatchObject({
      code: 'shell_elsewhere',
      message:
        `this conversation's shell runs in the server at ${hostname()} (pid ${process.pid}, port ${a.app.port}); ` +
        'open the conversation there, or stop that server',
    });
    const executions = await connectRaw(database);
    try {
      const { rows } = await executions.query('SELECT command_run FROM executions ORDER BY started_at');
      expect(rows).toEqual([{ command_run: 'echo in A' }]);
    } finally {
      await executions.end();
    }

    // Once A has stopped, its claim is gone with its connection, and B runs the conversation's commands.
    await a.close();
    const inB = await expectJson(
      await b.api('POST', `/api/conversations/${id}/run`, { command: 'echo in B' }),
      ExecutionSchema,
    );
    await settle(b.app);
    expect((await expectJson(await b.api('GET', `/api/executions/${inB.id}`), ExecutionSchema)).status).toBe(
      'completed',
    );
  });

  it("leaves the other server's running command alone when a server starts", async () => {
    const database = await server().createDatabase();
    const a = await app(database);
    const onA = await events(a);
    const id = await conversation(a, 'long command');
    await a.api('PATCH', `/api/conversations/${id}`, { sandbox: 'host' });
    const started = onA.seen(is('command-started', id));
    await a.api('POST', `/api/conversations/${id}/run`, { command: 'sleep 60' });
    const { execution } = await within(started, 'command-started on A');

    const b = await app(database);
    const onB = await expectJson(await b.api('GET', `/api/executions/${execution.id}`), ExecutionSchema);
    expect(onB.status).toBe('running');
    // B cannot stop it either: it says where it runs.
    const notHere = await expectJson(
      await b.api('POST', `/api/executions/${execution.id}/interrupt`),
      ErrorSchema,
      409,
    );
    expect(notHere.error.code).toBe('shell_elsewhere');

    const interrupted = onA.seen(is('command-ended', id));
    await a.api('POST', `/api/executions/${execution.id}/interrupt`);
    expect((await within(interrupted, 'command-ended on A')).execution.status).toBe('interrupted');
  });

  it('listens again after its connection is cut, and tells its clients to refetch', async () => {
    const database = await server().createDatabase();
    const [a, b] = [await app(database), await app(database)];
    const onA = await events(a);
    const admin = await connectRaw(database);
    try {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE $1`,
        [`mp pid ${process.pid} port ${a.app.port} on %`],
      );
      expect(rows).toEqual([{ ended: true }]);
    } finally {
      await admin.end();
    }
    await within(onA.seen(is('resync')), 'resync on A');
    expect(onA.received.find(is('resync'))?.conversationId).toBeNull();
    const id = await conversation(b, 'after the cut');
    await within(onA.seen(is('conversation-created', id)), 'conversation-created on A after reconnecting');
  });
});
