import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleProvider } from '../../src/providers/openai-compatible-presets.ts';
import { collectTurn, instantRetry, streamedText } from './support/collect-turn.ts';
import { chunk } from './support/openai-script.ts';
import { splitEvery } from './support/wire-fixtures.ts';
import { SSE_HEADERS, sse, startWireServer, type WireServer } from './support/wire-server.ts';

/** Written for this test in the shape Magistral streams (see the fixture); not a copied recording. */
const MISTRAL = readFileSync(join(import.meta.dirname, 'fixtures', 'mistral-thinking-parts.sse.txt'));

let script: (string | Uint8Array)[] = [];
let server: WireServer;
beforeAll(async () => {
  server = await startWireServer((request) => {
    if (request.method === 'GET') return { chunks: [JSON.stringify({ object: 'list', data: [] })] };
    return { headers: SSE_HEADERS, chunks: script };
  });
});
afterAll(() => server?.close());

function turn() {
  const provider = createOpenAICompatibleProvider({
    id: 'mistral',
    baseUrl: `${server.url}/v1`,
    apiKey: null,
    retry: instantRetry(),
  });
  return collectTurn(
    provider.streamTurn({ model: 'magistral-medium-2509', messages: [{ role: 'user', content: 'files?' }] }),
  );
}

describe('a stream whose delta.content is a list of typed parts', () => {
  for (const [label, chunks] of [
    ['as written', [MISTRAL]],
    ['split every 3 bytes', splitEvery(MISTRAL, 3)],
  ] as const) {
    it(`turns Mistral's thinking parts into reasoning and its text parts into the answer (${label})`, async () => {
      script = [...chunks];
      const { events, finish } = await turn();
      expect(finish.failure).toBeNull();
      expect(finish.reason).toBe('stop');
      expect(finish.message.content).toBe('Run `ls -la` to see them.');
      expect(finish.message.reasoning).toBe('The person asks for the files; ls lists them. Done thinking.');
      expect(streamedText(events)).toBe(finish.message.content);
      const reasoning = events.map((event) => (event.type === 'reasoning-delta' ? event.text : '')).join('');
      expect(reasoning).toBe(finish.message.reasoning);
      expect(finish.usage).toEqual({ inputTokens: 31, outputTokens: 27 });
    });
  }

  it('reads the other gateways’ parts: reasoning, string thinking, refusal, output_text, a lone part', async () => {
    script = sse([
      chunk({ role: 'assistant', content: null }),
      chunk({ content: [{ type: 'reasoning', text: 'a' }] }),
      chunk({ content: [{ type: 'reasoning', reasoning: 'b' }] }),
      chunk({ content: [{ type: 'thinking', thinking: 'c', signature: 'sig' }] }),
      chunk({
        content: [
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'output_text', text: 'One' },
        ],
      }),
      chunk({ content: { type: 'text', text: ', two' } }),
      chunk({ content: [{ type: 'image_url', image_url: { url: 'data:,' } }, 'three'] }),
      chunk({ content: [{ type: 'refusal', refusal: ', no four.' }] }),
      chunk({ content: [] }, 'stop'),
    ]);
    const { finish } = await turn();
    expect(finish.failure).toBeNull();
    expect(finish.message.reasoning).toBe('abc');
    expect(finish.message.content).toBe('One, twothree, no four.');
  });

  it('is a malformed-response error, keeping what came before, when a known part holds a non-string', async () => {
    script = sse([
      chunk({ content: [{ type: 'text', text: 'Kept' }] }),
      chunk({ content: [{ type: 'text', text: 42 }] }),
      chunk({}, 'stop'),
    ]);
    const { finish } = await turn();
    expect(finish.reason).toBe('error');
    expect(finish.failure?.code).toBe('malformed-response');
    expect(finish.failure?.message).toContain('content.0.text is a number');
    expect(finish.message.content).toBe('Kept');
  });
});
