/**
 * One side of the export bench (export.bench.ts), run in its own process so its peak memory is its own:
 *
 * - `mp DATA_DIR OUT`: `mp export --format openai-sft` itself (the CLI's code, imported and run here);
 * - `naive DATA_DIR OUT`: the floor, the same bytes written the plainest way there is: one streaming query
 *   over node:sqlite straight to the lines, no store, no builder, no hygiene;
 * - `source DATA_DIR OUT`: the row source alone (dataset-source.ts), every record read and dropped, to tell
 *   the plumbing's share of the export's time from the builder's and the hygiene's.
 *
 * Prints `{"seconds", "cpuSeconds", "bytes", "maxRssMiB"}` as its last stdout line.
 */
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { OFFERED_TOOLS } from '../src/core/datasets/openai-messages.ts';

const [mode, dataDir, out] = process.argv.slice(2);
if (mode === undefined || dataDir === undefined || out === undefined) {
  throw new Error('usage: export-child.ts mp|naive|source DATA_DIR OUT');
}

const started = performance.now();
if (mode === 'mp') {
  process.argv = [
    process.argv[0]!,
    'mp',
    'export',
    '--format',
    'openai-sft',
    '--out',
    out,
    '--data-dir',
    dataDir,
  ];
  await import('../src/cli/main.ts');
  if (process.exitCode !== undefined && process.exitCode !== 0) throw new Error('mp export failed');
} else if (mode === 'source') {
  await readRecords(dataDir, out);
} else {
  naive(join(dataDir, 'modelprogrammer.db'), out);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    bytes: statSync(out).size,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);

async function readRecords(directory: string, outPath: string): Promise<void> {
  const { Store } = await import('../src/store/store.ts');
  const { datasetRecords } = await import('../src/store/dataset-source.ts');
  const store = await Store.open({ engine: 'sqlite' }, { dataDir: directory, searchIndexDelayMs: 3_600_000 });
  let messages = 0;
  for await (const record of datasetRecords(store.database, {}, { shareEventLoop: false })) {
    messages += record.messages.length;
  }
  await store.close();
  writeFileSync(outPath, `${messages}\n`);
}

function naive(databasePath: string, outPath: string): void {
  const database = new DatabaseSync(databasePath, { readOnly: true });
  const fd = openSync(outPath, 'w');
  const rows = database
    .prepare(
      `SELECT m.conversation_id AS conversation, m.role AS role, r.content AS content
       FROM conversations c JOIN messages m ON m.conversation_id = c.id
       JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count
       ORDER BY c.id, m.created_at, m.id`,
    )
    .iterate() as Iterable<{ conversation: string; role: string; content: string }>;
  let current: string | undefined;
  let messages: { role: string; content: string }[] = [];
  let chunk: string[] = [];
  let size = 0;
  const line = () => {
    if (messages.length === 0) return;
    const text = `${JSON.stringify({ messages, tools: OFFERED_TOOLS })}\n`;
    chunk.push(text);
    size += text.length;
    if (size >= 256 * 1024) flush();
  };
  const flush = () => {
    writeSync(fd, chunk.join(''));
    chunk = [];
    size = 0;
  };
  for (const row of rows) {
    if (row.conversation !== current) {
      line();
      current = row.conversation;
      messages = [];
    }
    messages.push({ role: row.role, content: row.content });
  }
  line();
  flush();
  closeSync(fd);
  database.close();
}
