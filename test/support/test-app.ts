import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Workbench } from '../../src/agent/workbench.ts';
import { EventBus } from '../../src/core/event-bus.ts';
import type { RetryPolicy } from '../../src/providers/retry-policy.ts';
import { createServer } from '../../src/server/create-server.ts';
import type { LiveEventLimits } from '../../src/server/live-events.ts';
import type { ServeOptions } from '../../src/server/serving.ts';
import { type RunningApp, startApp } from '../../src/server/start-app.ts';
import type { DatabaseChoice } from '../../src/store/engines/database-url.ts';
import { databasePath } from '../../src/store/open-database.ts';
import { Store } from '../../src/store/store.ts';
import { REPO_ROOT } from './environment.ts';
import { makeTempDir } from './temp-dir.ts';

export interface TestApp {
  app: RunningApp;
  baseUrl: string;
  token: string;
  dataDir: string;
  /** A request with the token; the body, if any, is sent as JSON. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  config?: unknown;
  retry?: RetryPolicy;
  /**
   * The store's engine: SQLite in the data dir (the default), or an empty PostgreSQL database
   * (`await server().createDatabase()` of test/support/postgres.ts; app-engines.ts does it per engine).
   */
  database?: DatabaseChoice;
  /** How it is served: `{ team: true }` for a team server (accounts and sessions), TLS, --public-url. */
  serve?: ServeOptions;
}

/** The real server, in this process, on a free port of 127.0.0.1 with an empty data dir. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = makeTempDir('mp-app-');
  const token = 'test-token-0123456789abcdef';
  const configDir = join(dir.path, 'config');
  if (options.config !== undefined) {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify(options.config));
  }
  const app = await startApp({
    dataDir: dir.path,
    configDir,
    // Nothing from this machine (keys, OLLAMA_HOST, the legacy key file) leaks into what a test sees.
    env: options.env ?? { OLLAMA_HOST: 'http://127.0.0.1:9' },
    homeDir: dir.path,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    port: 0,
    portFallbacks: 0,
    token,
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.serve === undefined ? {} : { serve: options.serve }),
    webRoot: join(REPO_ROOT, 'dist', 'web'),
    version: 'test',
  });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  return {
    app,
    baseUrl,
    token,
    dataDir: dir.path,
    api: (method, path, body, headers = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    close: async () => {
      await app.close();
      dir.remove();
    },
  };
}

export interface BareServer {
  server: FastifyInstance;
  events: EventBus;
  baseUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The HTTP server alone (store, workbench, live events; no providers or sandboxes), for tests that need to reach
 * what startApp keeps inside: the event bus, the clock codes are checked against, the live-event limits.
 */
export async function startBareServer(
  options: { now?: () => number; liveEvents?: LiveEventLimits } = {},
): Promise<BareServer> {
  const dir = makeTempDir('mp-server-');
  const store = await Store.open(databasePath(dir.path));
  const events = new EventBus();
  const token = 'bare-token-0123456789abcdef';
  const listening = { port: 0 };
  const server = await createServer({
    workbench: new Workbench(store, events),
    events,
    token,
    get port() {
      return listening.port;
    },
    webRoot: join(REPO_ROOT, 'dist', 'web'),
    version: 'test',
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.liveEvents === undefined ? {} : { liveEvents: options.liveEvents }),
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  listening.port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server,
    events,
    baseUrl: `http://127.0.0.1:${listening.port}`,
    port: listening.port,
    token,
    close: async () => {
      await server.close();
      await store.close();
      dir.remove();
    },
  };
}

/**
 * A request through node:http, which (unlike fetch) lets a test set headers browsers forbid scripts to
 * set, such as Host, and sends the path exactly as written (no normalising of `//`, `/./` or `%2F`).
 * `headersOnly` resolves at the status line and drops the connection (for streams that never end).
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    headersOnly?: boolean;
  },
): Promise<{ status: number; body: string; headers: import('node:http').IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        // Node sends a DELETE's body without a length unless told; the server would see a broken request.
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        agent: false,
      },
      (response) => {
        const answer = { status: response.statusCode ?? 0, headers: response.headers };
        if (options.headersOnly) {
          response.destroy();
          resolve({ ...answer, body: '' });
          return;
        }
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ ...answer, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * `GET /api/events` over a bare TCP socket, resolved once the status line and headers have arrived. The socket
 * is then paused: it reads nothing more until the test resumes it, like a client that stopped reading.
 */
export function openRawEventStream(
  port: number,
  token: string,
): Promise<{ socket: Socket; status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
          'Accept: text/event-stream\r\n\r\n',
      );
    });
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.pause();
      const head = received.slice(0, end);
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** Asserts the status (showing the body when it differs) and parses the JSON answer with its schema. */
export async function expectJson<T>(
  response: Response,
  schema: { parse(value: unknown): T },
  status = 200,
): Promise<T> {
  const json: unknown = await response.json();
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(json)}`);
  }
  return schema.parse(json);
}

/** Waits until no model turn, command or proposal is in flight (one can start another: the loop). */
export async function settle(app: RunningApp): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await app.turns.whenIdle();
    await app.terminal.whenIdle();
  }
}
