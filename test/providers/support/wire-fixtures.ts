import { readdirSync, readFileSync } from 'node:fs';
import { sharedFixture } from '../../support/environment.ts';

export type WireFormat = 'openai-chat' | 'anthropic' | 'ollama' | 'openai-responses' | 'llamacpp-native';

export interface WireFixture {
  file: string;
  format: WireFormat;
  contentType: string;
  /** The bytes as they crossed the wire, rebuilt from the file's framing as SOURCES.md describes it. */
  bytes: Buffer;
  /** The read boundaries the capture itself recorded, when it recorded any. */
  recordedChunks: Buffer[] | null;
}

export function wireDir(): string {
  return sharedFixture('wire');
}

export function fixtureFiles(): string[] {
  return readdirSync(wireDir())
    .filter((file) => file !== 'SOURCES.md')
    .sort();
}

function formatOf(file: string): WireFormat {
  if (file.startsWith('anthropic-')) return 'anthropic';
  if (file.startsWith('ollama-')) return 'ollama';
  if (file.startsWith('openai-responses-')) return 'openai-responses';
  if (file === 'llamacpp-native-completion-stream.chunks.txt') return 'llamacpp-native';
  return 'openai-chat';
}

/**
 * Rebuilds the wire bytes of a recording:
 * - `.chunks.txt`: one SSE data payload per line; framed as `data: <line>\n\n` plus `data: [DONE]` (OpenAI
 *   style), or for Anthropic with the `event: <type>` line its API sends and vercel/ai's copy dropped;
 * - `vllm-toolcall-args-split-capture.sse.txt`: pasted with one `\n` between events (SOURCES.md), so each
 *   line is one event;
 * - `llamacpp-toolcall-args-split-timings-huge-final.sse.txt`: each line is one read chunk and a blank
 *   line stands for `\n` (SOURCES.md), which also gives the capture's own chunk boundaries;
 * - other `.sse.txt` and `.ndjson.txt`: the bytes as stored.
 */
export function loadWireFixture(file: string): WireFixture {
  const text = readFileSync(`${wireDir()}/${file}`, 'utf8');
  const format = formatOf(file);
  const ndjson = file.endsWith('.ndjson.txt');
  const contentType = ndjson ? 'application/x-ndjson' : 'text/event-stream';
  let recordedChunks: Buffer[] | null = null;
  let wire: string;
  if (file.endsWith('.chunks.txt')) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (format === 'anthropic') {
      wire = lines
        .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
        .join('');
    } else {
      wire = `${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`;
    }
  } else if (file === 'vllm-toolcall-args-split-capture.sse.txt') {
    wire = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `${line}\n\n`)
      .join('');
  } else if (file === 'llamacpp-toolcall-args-split-timings-huge-final.sse.txt') {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const chunks = lines.map((line) => (line === '' ? '\n' : line));
    recordedChunks = chunks.map((chunk) => Buffer.from(chunk, 'utf8'));
    wire = chunks.join('');
  } else {
    wire = text;
  }
  return { file, format, contentType, bytes: Buffer.from(wire, 'utf8'), recordedChunks };
}

/** Splits bytes every `size` bytes (UTF-8 sequences are cut too, on purpose). */
export function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  return chunks;
}

/** Splits bytes at seeded pseudo-random boundaries (mulberry32), so a failure reproduces. */
export function splitSeeded(bytes: Buffer, seed: number, maxSize = 64): Buffer[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chunks: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = 1 + Math.floor(next() * maxSize);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}
