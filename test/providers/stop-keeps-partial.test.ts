import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleProvider } from '../../src/providers/openai-compatible-presets.ts';
import { chunk } from './support/openai-script.ts';
import { SSE_HEADERS, sse, startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

describe('Stop', () => {
  it('aborting the signal keeps what arrived and finishes as stopped', async () => {
    server = await startWireServer((request) => {
      if (request.method !== 'POST') return { chunks: ['{"data":[]}'] };
      // Two words, then the server keeps the stream open as a slow model would.
      return {
        headers: SSE_HEADERS,
        chunks: sse([chunk({ content: 'Hello' }), chunk({ content: ' wor' })], { done: false }),
        after: 'hold',
      };
    });
    const provider = createOpenAICompatibleProvider({
      id: 'vllm',
      preset: 'vllm',
      baseUrl: `${server.url}/v1`,
      apiKey: null,
    });
    const controller = new AbortController();
    const types: string[] = [];
    let text = '';
    let finish: unknown;
    for await (const event of provider.streamTurn({
      model: 'qwen',
      messages: [{ role: 'user', content: 'hi' }],
      signal: controller.signal,
    })) {
      types.push(event.type);
      if (event.type === 'text-delta') {
        text += event.text;
        // Synchronised on what arrived, not on time: stop once both deltas are in.
        if (text === 'Hello wor') controller.abort();
      }
      if (event.type === 'finish') finish = event;
    }
    expect(finish).toMatchObject({
      reason: 'stopped',
      failure: null,
      message: { content: 'Hello wor', toolCalls: [] },
    });
    expect(types.at(-1)).toBe('finish');
    expect(types).not.toContain('error');
  });
});
