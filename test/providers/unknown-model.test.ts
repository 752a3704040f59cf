import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleProvider } from '../../src/providers/openai-compatible-presets.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

describe('an unknown model', () => {
  it('says which models the server offers, from its model list', async () => {
    server = await startWireServer((request) => {
      if (request.method === 'GET') {
        return {
          chunks: [
            JSON.stringify({
              object: 'list',
              data: [
                { id: 'qwen2.5-coder', object: 'model', max_model_len: 32768 },
                { id: 'llama3.1', object: 'model' },
              ],
            }),
          ],
        };
      }
      return {
        status: 404,
        chunks: [
          JSON.stringify({
            error: { message: 'The model `gpt-9` does not exist.', type: 'NotFoundError', code: 404 },
          }),
        ],
      };
    });
    const provider = createOpenAICompatibleProvider({
      id: 'vllm',
      preset: 'vllm',
      baseUrl: `${server.url}/v1`,
      apiKey: null,
      retry: instantRetry(),
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(finish.failure?.code).toBe('unknown-model');
    expect(finish.failure?.message).toBe('vllm has no model "gpt-9"; it offers: llama3.1, qwen2.5-coder');
    expect(await provider.capabilities('qwen2.5-coder')).toMatchObject({
      contextWindow: 32768,
      source: 'server',
    });
  });
});
