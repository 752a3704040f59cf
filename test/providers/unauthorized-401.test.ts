import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/providers/anthropic.ts';
import { createOpenAIProvider } from '../../src/providers/openai.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

describe('a refused or missing key', () => {
  it('names the provider and the variable on a 401, without retrying', async () => {
    server = await startWireServer(() => ({
      status: 401,
      chunks: [
        JSON.stringify({
          error: { message: 'Incorrect API key provided: sk-bad.', code: 'invalid_api_key' },
        }),
      ],
    }));
    const provider = createOpenAIProvider({
      apiKey: 'sk-bad',
      baseUrl: `${server.url}/v1`,
      retry: instantRetry(),
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(finish.reason).toBe('error');
    expect(finish.failure).toMatchObject({ code: 'authentication', status: 401, isRetryable: false });
    expect(finish.failure?.message).toContain('openai refused the key in OPENAI_API_KEY');
    expect(server.requests).toHaveLength(1);
  });

  it('says which variable to set when there is no key, before any request', async () => {
    server = await startWireServer(() => ({ chunks: [] }));
    const provider = new AnthropicProvider({ apiKey: null, baseUrl: server.url });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(finish.failure).toEqual({
      code: 'missing-api-key',
      message: 'ANTHROPIC_API_KEY is not set; set it or choose another provider in Settings',
      isRetryable: false,
    });
    expect(server.requests).toHaveLength(0);
    expect((await provider.listModels()).ok).toBe(false);
  });
});
