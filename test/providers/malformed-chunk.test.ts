import { afterEach, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/providers/ollama.ts';
import { createOpenAICompatibleProvider } from '../../src/providers/openai-compatible-presets.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { chunk } from './support/openai-script.ts';
import { SSE_HEADERS, startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

describe('a malformed chunk', () => {
  it('is an error on that call, keeping what came before, never a thrown crash', async () => {
    server = await startWireServer((request) => {
      if (request.method !== 'POST') return { chunks: ['{"data":[]}'] };
      return {
        headers: SSE_HEADERS,
        chunks: [
          `data: ${JSON.stringify(chunk({ content: 'Part' }))}\n\n`,
          'data: {"choices": [{"delta": \n\n',
          'data: [DONE]\n\n',
        ],
      };
    });
    const provider = createOpenAICompatibleProvider({
      id: 'llama.cpp',
      preset: 'llama.cpp',
      baseUrl: `${server.url}/v1`,
      apiKey: null,
      retry: instantRetry(),
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(finish.reason).toBe('error');
    expect(finish.failure?.code).toBe('malformed-response');
    expect(finish.message.content).toBe('Part');
  });

  it('is an error when a chunk is JSON of the wrong shape', async () => {
    server = await startWireServer((request) => {
      if (request.method !== 'POST') return { chunks: ['{"data":[]}'] };
      return { headers: SSE_HEADERS, chunks: ['data: {"choices": "not a list"}\n\n', 'data: [DONE]\n\n'] };
    });
    const provider = createOpenAICompatibleProvider({
      id: 'lm',
      preset: 'lm-studio',
      baseUrl: `${server.url}/v1`,
      apiKey: null,
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(finish.failure?.code).toBe('malformed-response');
  });

  it('is an error for an Ollama line that is not JSON, which its client would only warn about', async () => {
    server = await startWireServer((request) => {
      if (request.path === '/api/show') return { status: 404, chunks: ['{"error":"no"}'] };
      return {
        headers: { 'content-type': 'application/x-ndjson' },
        chunks: [
          '{"message":{"role":"assistant","content":"Hi"},"done":false}\n',
          '{"message": oops}\n',
          '{"done":true,"done_reason":"stop"}\n',
        ],
      };
    });
    const provider = new OllamaProvider({ host: server.url, retry: instantRetry() });
    const warn = console.warn;
    console.warn = () => {};
    try {
      const { finish } = await collectTurn(
        provider.streamTurn({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(finish.failure?.code).toBe('malformed-response');
      expect(finish.message.content).toBe('Hi');
    } finally {
      console.warn = warn;
    }
  });
});
