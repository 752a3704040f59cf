/**
 * Issue 9 item 4: the Export dialog's download keeps the server's memory flat. The route sends lines while the
 * export is still reading records (a server that gathered the file first would never send its first bytes
 * here, since the source waits for the client to see them), and a client that goes away stops the export and
 * closes the row source, so an abandoned download or preview reads no more of the database.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../src/core/datasets/conversation-record.ts';
import { chainRecord } from '../src/core/datasets/test-records.ts';
import { registerRoutes } from '../src/server/api-route.ts';
import { exportRoutes } from '../src/server/routes/export-routes.ts';

/** A distinct conversation of about 1 KB of text per record, so a hundred fill a few chunks. */
function record(index: number): ConversationRecord {
  const padding = 'lorem ipsum dolor sit amet '.repeat(20);
  return chainRecord(
    [
      { role: 'user', content: `Question ${index}: ${padding}` },
      { role: 'assistant', content: `Answer ${index}: ${padding}` },
    ],
    { conversation: { id: `c${index}` } },
  );
}

/** Records the source yields after its gate opens, before it ends by itself. */
const AFTER_GATE = 2_000;

interface Gate {
  /** Resolves when the source has yielded `before` records and waits for `open()`. */
  waiting: Promise<void>;
  open(): void;
  /** Resolves when the export closed the source (finished or abandoned). */
  closed: Promise<void>;
  yielded(): number;
  /** Whether the source yielded all it had (no one stopped reading it). */
  ranToEnd(): boolean;
}

const gates: Gate[] = [];

/** `before` records, then a wait until the test opens the gate, then AFTER_GATE more. */
function gatedSource(before: number): { gate: Gate; source: () => AsyncGenerator<ConversationRecord> } {
  const waiting = Promise.withResolvers<void>();
  const opened = Promise.withResolvers<void>();
  const closed = Promise.withResolvers<void>();
  let count = 0;
  let ended = false;
  async function* source(): AsyncGenerator<ConversationRecord> {
    try {
      for (; count < before; count++) yield record(count);
      waiting.resolve();
      await opened.promise;
      for (; count < before + AFTER_GATE; count++) yield record(count);
      ended = true;
    } finally {
      closed.resolve();
    }
  }
  const gate: Gate = {
    waiting: waiting.promise,
    open: () => opened.resolve(),
    closed: closed.promise,
    yielded: () => count,
    ranToEnd: () => ended,
  };
  gates.push(gate);
  return { gate, source };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  // A failed test may leave a source waiting, and the server with it: let it run out so the server closes.
  for (const gate of gates.splice(0)) gate.open();
  await app?.close();
  app = undefined;
});

/** Resolves when the server has seen a response's connection close (ended, or dropped by the client). */
let responseClosed = Promise.withResolvers<void>();

async function serve(source: () => AsyncGenerator<ConversationRecord>): Promise<string> {
  app = Fastify({ forceCloseConnections: true });
  responseClosed = Promise.withResolvers<void>();
  // The routes as the real server registers them; authentication is not what this file is about.
  app.addHook('onRequest', async (request, reply) => {
    request.actor = { kind: 'local' };
    reply.raw.once('close', () => responseClosed.resolve());
  });
  registerRoutes(app, exportRoutes({ records: source, card: () => '# card' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('the export download', () => {
  it('sends lines while the export still reads records', async () => {
    const { gate, source } = gatedSource(300);
    const base = await serve(source);
    const response = await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'openai-sft', filters: {} }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="mp-openai-sft-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    expect(response.headers.get('content-length')).toBeNull();
    const reader = response.body!.getReader();
    await gate.waiting;
    // The source is now waiting for this read: only a streamed response can answer it.
    const first = await reader.read();
    expect(first.done).toBe(false);
    const text = new TextDecoder().decode(first.value);
    const firstLine = JSON.parse(text.slice(0, text.indexOf('\n'))) as { messages: { content: string }[] };
    expect(firstLine.messages.at(-1)?.content).toMatch(/^Answer 0: /);
    expect(gate.yielded()).toBe(300);
    await reader.cancel();
    gate.open();
    await gate.closed;
  });

  it('stops the export and closes the row source when the client goes away', async () => {
    const { gate, source } = gatedSource(100);
    const base = await serve(source);
    const aborting = new AbortController();
    const response = await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'openai-sft', filters: {} }),
      signal: aborting.signal,
    });
    const reader = response.body!.getReader();
    await gate.waiting;
    await reader.read();
    aborting.abort();
    gate.open();
    await gate.closed;
    expect(gate.ranToEnd()).toBe(false);
    expect(gate.yielded()).toBeLessThan(100 + AFTER_GATE);
  });

  it('stops a preview whose client went away (the dialog was closed)', async () => {
    const { gate, source } = gatedSource(10);
    const base = await serve(source);
    const aborting = new AbortController();
    const answer = fetch(`${base}/api/exports/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'openai-sft', filters: {} }),
      signal: aborting.signal,
    }).catch((error: unknown) => error);
    await gate.waiting;
    aborting.abort();
    expect(await answer).toBeInstanceOf(Error);
    // Only once the server knows, so the test does not depend on how fast the news travels.
    await responseClosed.promise;
    gate.open();
    await gate.closed;
    expect(gate.ranToEnd()).toBe(false);
  });
});
