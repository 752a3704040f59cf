/**
 * The delay our server adds to a streamed answer: a scripted OpenAI-compatible server sends numbered chunks
 * at a steady rate; we time each chunk from the moment it is written to the moment a client reads it, once
 * straight from that server and once through ModelProgrammer's live events (what the browser reads).
 * Everything runs in this process, so both paths share one clock and one event loop.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startApp } from '../src/server/start-app.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const CHUNKS = 600;
const CHUNKS_PER_SECOND = 300;

interface ScriptedServer {
  url: string;
  sentAt: Map<number, number>;
  close(): Promise<void>;
}

async function scriptedServer(): Promise<ScriptedServer> {
  const sentAt = new Map<number, number>();
  const server = createServer((request, response) => {
    if (request.url?.endsWith('/models')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'bench' }] }));
      return;
    }
    request.resume();
    request.on('end', () => void stream(response, sentAt));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sentAt,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  const body = {
    id: 'b',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'bench',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

async function stream(response: ServerResponse, sentAt: Map<number, number>): Promise<void> {
  response.socket?.setNoDelay(true);
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(chunk({ role: 'assistant', content: '' }));
  const interval = 1000 / CHUNKS_PER_SECOND;
  const start = performance.now();
  for (let sequence = 0; sequence < CHUNKS; sequence++) {
    const due = start + sequence * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.set(sequence, performance.now());
    response.write(chunk({ content: `«${sequence}»` }));
  }
  response.write(chunk({}, 'stop'));
  response.end('data: [DONE]\n\n');
}

/** Reads an SSE body, calling back with each `data:` payload as it arrives. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => boolean,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) {
        if (line.startsWith('data: ') && onData(line.slice(6))) {
          await reader.cancel();
          return;
        }
      }
      end = buffer.indexOf('\n\n');
    }
  }
}

function record(text: string, sentAt: Map<number, number>, delays: number[]): void {
  const now = performance.now();
  for (const match of text.matchAll(/«(\d+)»/g)) {
    const sent = sentAt.get(Number(match[1]));
    if (sent !== undefined) delays.push(now - sent);
  }
}

async function direct(server: ScriptedServer): Promise<number[]> {
  server.sentAt.clear();
  const delays: number[] = [];
  const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
  await readEvents(response.body!, (data) => {
    if (data === '[DONE]') return true;
    const content = (JSON.parse(data) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
      .content;
    if (content) record(content, server.sentAt, delays);
    return false;
  });
  return delays;
}

async function throughServer(server: ScriptedServer, dataDir: string): Promise<number[]> {
  server.sentAt.clear();
  const token = 'bench-token-0123456789';
  const app = await startApp({
    dataDir,
    configDir: join(dataDir, 'config'),
    env: {},
    port: 0,
    portFallbacks: 0,
    token,
    webRoot: '/nonexistent',
    version: 'bench',
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `http://127.0.0.1:${app.port}`;
  try {
    const conversation = (await (
      await fetch(`${base}/api/conversations`, { method: 'POST', headers, body: '{}' })
    ).json()) as { id: string };
    await fetch(`${base}/api/conversations/${conversation.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ provider: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'bench' }),
    });
    await fetch(`${base}/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ role: 'user', content: 'go' }),
    });
    const events = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    const delays: number[] = [];
    const reading = readEvents(events.body!, (data) => {
      const event = JSON.parse(data) as { type: string; text?: string };
      if (event.type === 'message-delta' && event.text) record(event.text, server.sentAt, delays);
      return event.type === 'model-call-ended';
    });
    await fetch(`${base}/api/conversations/${conversation.id}/generate`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    await reading;
    return delays;
  } finally {
    await app.close();
  }
}

export default async function streamingBench(): Promise<BenchResult[]> {
  const dir = makeTempDir('mp-bench-stream-');
  const server = await scriptedServer();
  try {
    await direct(server);
    const straight = percentiles(await direct(server));
    const ours = percentiles(await throughServer(server, join(dir.path, 'app')));
    const note = `${CHUNKS} chunks at ${CHUNKS_PER_SECOND}/s, Node fetch as the client`;
    return [
      {
        name: 'chunk delay, read straight from the provider server, median',
        value: round(straight.median, 3),
        unit: 'ms',
        note,
      },
      {
        name: 'chunk delay, read straight from the provider server, p99',
        value: round(straight.p99, 3),
        unit: 'ms',
      },
      {
        name: 'chunk delay through ModelProgrammer (provider → our server → SSE client), median',
        value: round(ours.median, 3),
        unit: 'ms',
        note: 'includes parsing, the event bus, persistence every 500 ms',
      },
      { name: 'chunk delay through ModelProgrammer, p99', value: round(ours.p99, 3), unit: 'ms' },
      { name: 'delay our server adds, median', value: round(ours.median - straight.median, 3), unit: 'ms' },
      { name: 'delay our server adds, p99', value: round(ours.p99 - straight.p99, 3), unit: 'ms' },
    ];
  } finally {
    await server.close();
    dir.remove();
  }
}
