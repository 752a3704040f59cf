/**
 * What a message costs (issue 7 item 9), on each engine the store runs on (issue 10), each measure beside
 * its floor in the same run, with samples of the two interleaved so that load from elsewhere on the machine
 * falls on both alike: the ratios are what to compare across machines and engines, the milliseconds only
 * within a run. The floors are each engine's own driver without the store: node:sqlite for SQLite, a `pg`
 * client for PostgreSQL.
 *
 * PostgreSQL is MP_TEST_DATABASE_URL's server, else a throwaway cluster from Debian's package
 * (test/support/postgres.ts), which runs with fsync off: its numbers are the engine's cost without the disk,
 * and its floor has the same settings. Without either, the PostgreSQL rows are left out, saying so.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { startApp } from '../src/server/start-app.ts';
import type { DatabaseChoice, PostgresLocation } from '../src/store/engines/database-url.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { Store } from '../src/store/store.ts';
import { REPO_ROOT } from '../test/support/environment.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const APPENDS = 2_000;
/** Appends between two search batches in the store measure (about what 200 ms of appends at that rate is). */
const BATCH_EVERY = 50;
const LARGE = 10_000;
const SMALL = 10;
const API_SAMPLES = 300;
const OPEN_SAMPLES = 100;
const TOKEN = 'bench-token-0123456789';
/** ~200 characters, as a typical message; the raw floor inserts a row of the same size. */
const text = (index: number) => `message ${index}: `.padEnd(200, 'ls -la && cat README.md | head -n 20; ');

/**
 * Store appends (one transaction each) interleaved with bare inserts into a table of the same durability.
 * The search index takes appended messages in batches after the append (search-queue.ts); the batches run
 * here between samples, as the store's timer runs them between requests, and are timed on their own.
 */
async function storeAgainstRaw(
  engine: BenchEngine,
): Promise<{ store: number; raw: number; batchPerMessage: number }> {
  const store = await engine.openStore('appends');
  const conversation = await store.conversations.create({ title: 'bench' });
  const raw = await engine.bareTable('raw');
  const storeSamples: number[] = [];
  const rawSamples: number[] = [];
  const batchSamples: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    let started = performance.now();
    await raw.insert(i);
    rawSamples.push(performance.now() - started);
    started = performance.now();
    await store.transaction(() =>
      store.messages.append(conversation.id, {
        role: i % 2 === 0 ? 'user' : 'assistant',
        author: 'human',
        content: text(i),
      }),
    );
    storeSamples.push(performance.now() - started);
    if (i % BATCH_EVERY === BATCH_EVERY - 1) {
      started = performance.now();
      await store.search.flush();
      batchSamples.push((performance.now() - started) / BATCH_EVERY);
    }
  }
  await store.close();
  await raw.close();
  return {
    store: percentiles(storeSamples).median,
    raw: percentiles(rawSamples).median,
    batchPerMessage: percentiles(batchSamples).median,
  };
}

/** One engine under measure: fresh stores, a bare table on its own driver, and where a server keeps its data. */
interface BenchEngine {
  kind: 'sqlite' | 'postgres';
  openStore(name: string): Promise<Store>;
  /** The floor of every durable write: one INSERT of a message-sized row per transaction, no store. */
  bareTable(name: string): Promise<BareTable>;
  /** Where a server started by the bench keeps its store: a data dir, plus a database on PostgreSQL. */
  place(name: string): Promise<{ dataDir: string; database: DatabaseChoice }>;
  close(): Promise<void>;
}

interface BareTable {
  insert(index: number): Promise<void>;
  close(): Promise<void>;
}

const BARE_TABLE = 'CREATE TABLE raw (id TEXT PRIMARY KEY, content TEXT NOT NULL, created_at TEXT NOT NULL)';

function sqliteEngine(dir: string): BenchEngine {
  const path = (name: string) => join(dir, 'sqlite', name, 'modelprogrammer.db');
  return {
    kind: 'sqlite',
    openStore: (name) => Store.open(path(name)),
    async bareTable(name) {
      // The store's own pragmas and file (WAL, synchronous=FULL), written through node:sqlite directly.
      const db = openDatabase(path(name));
      db.exec(BARE_TABLE);
      const insert = db.prepare('INSERT INTO raw VALUES (?, ?, ?)');
      return {
        insert: async (index) => {
          db.exec('BEGIN IMMEDIATE');
          insert.run(`row-${index}`, text(index), new Date().toISOString());
          db.exec('COMMIT');
        },
        close: async () => db.close(),
      };
    },
    place: async (name) => ({ dataDir: join(dir, 'sqlite', name), database: { engine: 'sqlite' } }),
    close: async () => {},
  };
}

function postgresEngine(dir: string, server: TestPostgres): BenchEngine {
  return {
    kind: 'postgres',
    openStore: async () => Store.open(await server.createDatabase()),
    async bareTable() {
      const client = await rawClient(await server.createDatabase());
      await client.query(BARE_TABLE);
      return {
        insert: async (index) => {
          await client.query('BEGIN');
          await client.query('INSERT INTO raw VALUES ($1, $2, $3)', [
            `row-${index}`,
            text(index),
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        },
        close: () => client.end(),
      };
    },
    place: async (name) => ({
      dataDir: join(dir, 'postgres', name),
      database: await server.createDatabase(),
    }),
    close: () => server.stop(),
  };
}

async function rawClient(location: PostgresLocation): Promise<pg.Client> {
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

/** A data dir with two conversations of SMALL messages and one of LARGE, written straight to the store. */
async function seed(place: {
  dataDir: string;
  database: DatabaseChoice;
}): Promise<{ small: string; large: string }> {
  const store = await Store.open(place.database, { dataDir: place.dataDir });
  const make = async (count: number, title: string) => {
    const conversation = await store.conversations.create({ title });
    await store.transaction(async () => {
      for (let i = 0; i < count; i++) {
        await store.messages.append(conversation.id, {
          role: i % 3 === 0 ? 'user' : 'assistant',
          author: i % 3 === 0 ? 'human' : 'model',
          content: text(i),
        });
      }
    });
    return conversation.id;
  };
  const small = await make(SMALL, 'small');
  await make(SMALL, 'another small');
  const large = await make(LARGE, 'large');
  // Index what was seeded now, as a data dir in use would have it, so no batch runs during the measures.
  await store.search.flush();
  await store.close();
  return { small, large };
}

async function serve(place: { dataDir: string; database: DatabaseChoice }) {
  return startApp({
    dataDir: place.dataDir,
    database: place.database,
    configDir: join(place.dataDir, 'config'),
    env: {},
    port: 0,
    portFallbacks: 0,
    token: TOKEN,
    webRoot: '/nonexistent',
    version: 'bench',
  });
}

async function timed(url: string, init: RequestInit = {}): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status}`);
  return performance.now() - started;
}

interface ApiMeasures {
  health: number;
  post: number;
  commit: number;
  appendSmall: number;
  appendLarge: number;
  listSmall: number;
  listLarge: number;
  openSmall: { median: number; p99: number };
  openLarge: { median: number; p99: number };
  openBytes: number;
  search: { median: number; p99: number };
}

/**
 * Two servers: one whose three conversations are small, one where one of them holds LARGE messages. Each
 * round asks both the same things in turn, beside `GET /api/health` (the floor: the server's own cost) and a
 * bare durable INSERT at the same pace (the floor of any acknowledged write: one commit spaced by requests
 * costs this machine's fsync in full, where back-to-back commits in a loop share much of it).
 */
async function apiMeasures(engine: BenchEngine): Promise<ApiMeasures> {
  const smallPlace = await engine.place('small-server');
  const largePlace = await engine.place('large-server');
  const smallIds = await seed(smallPlace);
  const largeIds = await seed(largePlace);
  const smallApp = await serve(smallPlace);
  const largeApp = await serve(largePlace);
  const floor = await engine.bareTable('api-floor');
  const bare = await bareHttpServer();
  const samples = {
    health: [] as number[],
    post: [] as number[],
    commit: [] as number[],
    appendSmall: [] as number[],
    appendLarge: [] as number[],
    listSmall: [] as number[],
    listLarge: [] as number[],
    openSmall: [] as number[],
    openLarge: [] as number[],
    search: [] as number[],
  };
  const append = (url: string, i: number) =>
    timed(url, { method: 'POST', body: JSON.stringify({ role: 'user', content: text(i) }) });
  try {
    // Warm-up: compile statements and JIT both servers before anything is timed.
    for (let i = 0; i < 20; i++) {
      await timed(`${origin(largeApp)}/api/health`);
      await append(`${origin(largeApp)}/api/conversations/${largeIds.small}/messages`, i);
      await append(`${origin(largeApp)}/api/conversations/${largeIds.large}/messages`, i);
      await timed(`${origin(smallApp)}/api/conversations`);
      await timed(`${origin(largeApp)}/api/conversations`);
    }
    for (let i = 0; i < API_SAMPLES; i++) {
      samples.health.push(await timed(`${origin(largeApp)}/api/health`));
      samples.post.push(await append(`${bare.url}/post`, i));
      const started = performance.now();
      await floor.insert(i);
      samples.commit.push(performance.now() - started);
      samples.appendSmall.push(
        await append(`${origin(largeApp)}/api/conversations/${largeIds.small}/messages`, i),
      );
      samples.appendLarge.push(
        await append(`${origin(largeApp)}/api/conversations/${largeIds.large}/messages`, i),
      );
      samples.listSmall.push(await timed(`${origin(smallApp)}/api/conversations`));
      samples.listLarge.push(await timed(`${origin(largeApp)}/api/conversations`));
    }
    let openBytes = 0;
    for (let i = 0; i < OPEN_SAMPLES; i++) {
      samples.openSmall.push(await timed(`${origin(smallApp)}/api/conversations/${smallIds.small}`));
      const started = performance.now();
      const response = await fetch(`${origin(largeApp)}/api/conversations/${largeIds.large}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      openBytes = (await response.arrayBuffer()).byteLength;
      samples.openLarge.push(performance.now() - started);
      // Two prefixes every seeded message holds: the worst case, every row matches and is ranked.
      samples.search.push(await timed(`${origin(largeApp)}/api/search?q=${encodeURIComponent('READ hea')}`));
    }
    const median = (values: number[]) => percentiles(values).median;
    return {
      health: median(samples.health),
      post: median(samples.post),
      commit: median(samples.commit),
      appendSmall: median(samples.appendSmall),
      appendLarge: median(samples.appendLarge),
      listSmall: median(samples.listSmall),
      listLarge: median(samples.listLarge),
      openSmall: percentiles(samples.openSmall),
      openLarge: percentiles(samples.openLarge),
      openBytes,
      search: percentiles(samples.search),
    };
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
    await floor.close();
    await smallApp.close();
    await largeApp.close();
  }
}

/**
 * The floor of any POST of a message's body from this client: node:http alone reads it, parses it and answers
 * a small JSON document, no framework, no store. The client (fetch) costs more for a POST than a GET.
 */
async function bareHttpServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const { role } = JSON.parse(body) as { role: string };
      response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ role }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bare server: no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

async function startToListening(dir: string): Promise<{ median: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < 8; i++) {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'src/cli/main.ts'),
        'serve',
        '--no-open',
        '--port',
        '0',
        '--data-dir',
        join(dir, 'start'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening on')) resolve();
      });
    });
    samples.push(performance.now() - started);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return percentiles(samples);
}

export default async function storeBench(): Promise<BenchResult[]> {
  const dir = makeTempDir('mp-bench-');
  const engines: BenchEngine[] = [sqliteEngine(dir.path)];
  if (postgresAvailability().available) {
    engines.push(postgresEngine(dir.path, await startTestPostgres()));
  } else {
    console.error('bench: no PostgreSQL (MP_TEST_DATABASE_URL or the postgresql package); SQLite only');
  }
  try {
    const results: BenchResult[] = [];
    for (const engine of engines) results.push(...(await engineMeasures(engine)));
    const start = await startToListening(dir.path);
    results.push(
      {
        name: 'start to listening line (`mp serve`, SQLite), median',
        value: round(start.median),
        unit: 'ms',
        note: '8 starts, existing data dir',
      },
      { name: 'start to listening line, worst', value: round(start.p99), unit: 'ms' },
    );
    return results;
  } finally {
    for (const engine of engines) await engine.close();
    dir.remove();
  }
}

/** The store measures of one engine, each row named after it. */
async function engineMeasures(engine: BenchEngine): Promise<BenchResult[]> {
  const appends = await storeAgainstRaw(engine);
  const api = await apiMeasures(engine);
  const ms = (value: number) => round(value, 3);
  const durability =
    engine.kind === 'sqlite'
      ? 'WAL + synchronous=FULL'
      : 'this server’s settings (the throwaway cluster: fsync off)';
  const rows: BenchResult[] = [
    {
      name: 'append through the store, median',
      value: ms(appends.store),
      unit: 'ms',
      note: `${APPENDS} appends of ~200 characters, one transaction each, ${durability}`,
    },
    {
      name: 'floor: bare INSERT of a row of the same size, median',
      value: ms(appends.raw),
      unit: 'ms',
      note:
        engine.kind === 'sqlite'
          ? 'node:sqlite without the store, same file settings; interleaved with the appends'
          : 'a pg client without the store, on the same server; interleaved with the appends',
    },
    {
      name: 'store append speed as a share of the bare insert',
      value: round(appends.raw / appends.store),
      unit: '×',
      note: 'target ≥ 0.5',
    },
    {
      name: 'search indexing after the append, per message, median',
      value: ms(appends.batchPerMessage),
      unit: 'ms',
      note: `batches of ${BATCH_EVERY} queued messages in one transaction, off the append's path`,
    },
    {
      name: 'floor: GET /api/health, median',
      value: ms(api.health),
      unit: 'ms',
      note: `${API_SAMPLES} rounds, each asking every API measure below in turn`,
    },
    {
      name: 'floor: POST of the same body to a bare node:http server, median',
      value: ms(api.post),
      unit: 'ms',
      note: 'the client’s and HTTP’s share of a POST (health is that of a GET): no framework, no store',
    },
    {
      name: 'floor: bare durable INSERT at the pace of the API rounds, median',
      value: ms(api.commit),
      unit: 'ms',
      note: 'the bare insert above, once per round between requests; an append through the API pays one',
    },
    {
      name: `append through the API, ${SMALL}-message conversation, median`,
      value: ms(api.appendSmall),
      unit: 'ms',
      note: 'POST /api/conversations/:id/messages',
    },
    {
      name: `append through the API, ${LARGE}-message conversation, median`,
      value: ms(api.appendLarge),
      unit: 'ms',
      note: 'target ≤ 1 ms (issue 7 item 9, on SQLite)',
    },
    {
      name: `append: ${LARGE}- over ${SMALL}-message conversation`,
      value: round(api.appendLarge / api.appendSmall),
      unit: '×',
      note: 'target ≤ 1.2',
    },
    {
      name: `list 3 conversations of ${SMALL} messages each, median`,
      value: ms(api.listSmall),
      unit: 'ms',
      note: 'GET /api/conversations',
    },
    {
      name: `list 3 conversations, one of ${LARGE} messages, median`,
      value: ms(api.listLarge),
      unit: 'ms',
      note: `ratio to the small list ${round(api.listLarge / api.listSmall)}× (target: independent of size)`,
    },
    {
      name: `open a ${SMALL}-message conversation, p99`,
      value: ms(api.openSmall.p99),
      unit: 'ms',
      note: `median ${ms(api.openSmall.median)} ms; GET /api/conversations/:id, ${OPEN_SAMPLES} requests`,
    },
    {
      name: `open a ${LARGE}-message conversation, p99`,
      value: ms(api.openLarge.p99),
      unit: 'ms',
      note: `median ${ms(api.openLarge.median)} ms; the newest window, ${(api.openBytes / 1e3).toFixed(0)} kB JSON; target ≤ 100 ms`,
    },
    {
      name: `search a ${LARGE}-message store, every message matching, median`,
      value: ms(api.search.median),
      unit: 'ms',
      note: `p99 ${ms(api.search.p99)} ms; GET /api/search, two prefixes, top 50 of each kind ranked`,
    },
  ];
  return rows.map((row) => ({ ...row, name: `${engine.kind}: ${row.name}` }));
}

/** The app's address without the trailing slash its `url` ends with. */
function origin(app: { port: number }): string {
  return `http://127.0.0.1:${app.port}`;
}
