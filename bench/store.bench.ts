import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startApp } from '../src/server/start-app.ts';
import { databasePath } from '../src/store/open-database.ts';
import { openSqlite, setPragma, transaction } from '../src/store/sqlite.ts';
import { Store } from '../src/store/store.ts';
import { REPO_ROOT } from '../test/support/environment.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const APPENDS = 2_000;
const LARGE_CONVERSATION = 10_000;

/** Appends through the store, each its own transaction (one user action = one commit = one fsync). */
function storeAppendsPerSecond(dir: string): number {
  const store = Store.open(join(dir, 'appends.db'));
  const conversation = store.conversations.create({ title: 'bench' });
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) {
    store.transaction(() =>
      store.messages.append(conversation.id, {
        role: i % 2 === 0 ? 'user' : 'assistant',
        author: 'human',
        content: `message ${i}: ls -la && cat README.md | head -n 20`,
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  store.close();
  return APPENDS / seconds;
}

/**
 * The floor: one row per transaction through the same driver and transaction helper, with the same
 * pragmas, but no revisions, index or search.
 */
function rawInsertsPerSecond(dir: string): number {
  const db = openSqlite(join(dir, 'raw.db'));
  setPragma(db, 'journal_mode', 'WAL');
  setPragma(db, 'synchronous', 'FULL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, content TEXT NOT NULL, created_at TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) {
    transaction(db, () =>
      insert.run(String(i), `message ${i}: ls -la && cat README.md | head -n 20`, new Date().toISOString()),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return APPENDS / seconds;
}

/** Opening the store on an existing database (the pragmas and the migration check, no migration to run). */
function storeOpens(path: string): { median: number; p99: number } {
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    const store = Store.open(path);
    samples.push(performance.now() - started);
    store.close();
  }
  return percentiles(samples);
}

/** Full-text search over every message, as the search box asks it. */
function searches(path: string): { median: number; p99: number } {
  const store = Store.open(path);
  const samples: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    store.search.search(`tmp ${i * 97}`);
    samples.push(performance.now() - started);
  }
  store.close();
  return percentiles(samples);
}

async function openLargeConversation(dir: string): Promise<{ median: number; p99: number; bytes: number }> {
  const dataDir = join(dir, 'large');
  const seed = Store.open(databasePath(dataDir));
  const conversation = seed.conversations.create({ title: '10k' });
  seed.transaction(() => {
    for (let i = 0; i < LARGE_CONVERSATION; i++) {
      seed.messages.append(conversation.id, {
        role: i % 3 === 0 ? 'user' : 'assistant',
        author: i % 3 === 0 ? 'human' : 'model',
        content: `Message ${i}\n\n\`\`\`bash\nls -la /tmp/${i}\n\`\`\`\n`,
      });
    }
  });
  seed.close();
  const app = await startApp({
    dataDir,
    configDir: join(dataDir, 'config'),
    env: {},
    port: 0,
    portFallbacks: 0,
    token: 'bench-token-0123456789',
    webRoot: '/nonexistent',
    version: 'bench',
  });
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${app.port}/api/conversations/${conversation.id}`, {
      headers: { authorization: 'Bearer bench-token-0123456789' },
    });
    const body = await response.text();
    samples.push(performance.now() - started);
    bytes = body.length;
  }
  await app.close();
  return { ...percentiles(samples), bytes };
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
  try {
    const store = storeAppendsPerSecond(dir.path);
    const raw = rawInsertsPerSecond(dir.path);
    const large = await openLargeConversation(dir.path);
    const opens = storeOpens(databasePath(join(dir.path, 'large')));
    const search = searches(databasePath(join(dir.path, 'large')));
    const start = await startToListening(dir.path);
    return [
      {
        name: 'messages appended through the store',
        value: Math.round(store),
        unit: 'messages/s',
        note: `${APPENDS} appends, one transaction each, WAL + synchronous=FULL`,
      },
      {
        name: 'raw node:sqlite inserts, same durability',
        value: Math.round(raw),
        unit: 'rows/s',
        note: 'one row per transaction; no revisions, tree or search index',
      },
      {
        name: `open a ${LARGE_CONVERSATION}-message conversation (GET /api/conversations/:id), median`,
        value: round(large.median),
        unit: 'ms',
        note: `${(large.bytes / 1e6).toFixed(1)} MB JSON; 20 requests`,
      },
      { name: `open a ${LARGE_CONVERSATION}-message conversation, p99`, value: round(large.p99), unit: 'ms' },
      {
        name: 'open the store on an existing database, median',
        value: round(opens.median, 3),
        unit: 'ms',
        note: `Store.open + close, ${LARGE_CONVERSATION} messages in it; 50 opens`,
      },
      {
        name: 'full-text search, median',
        value: round(search.median, 3),
        unit: 'ms',
        note: `two prefix terms over ${LARGE_CONVERSATION} messages, ≤ 50 hits; 100 queries`,
      },
      { name: 'full-text search, p99', value: round(search.p99, 3), unit: 'ms' },
      {
        name: 'start to listening line (`mp serve`), median',
        value: round(start.median),
        unit: 'ms',
        note: '8 starts, existing data dir',
      },
      { name: 'start to listening line, worst', value: round(start.p99), unit: 'ms' },
    ];
  } finally {
    dir.remove();
  }
}
