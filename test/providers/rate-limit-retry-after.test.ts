import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/providers/anthropic.ts';
import { createOpenAIProvider } from '../../src/providers/openai.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { toolCallStream } from './support/openai-script.ts';
import { type ScriptedResponse, startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

const tooMany = (headers: Record<string, string>): ScriptedResponse => ({
  status: 429,
  headers: { 'content-type': 'application/json', ...headers },
  chunks: [
    JSON.stringify({
      error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
    }),
  ],
});

describe('a 429 with Retry-After', () => {
  it('waits what the server asked (Retry-After seconds, then retry-after-ms), says so, then succeeds', async () => {
    let attempts = 0;
    server = await startWireServer((request) => {
      if (request.method !== 'POST') return { chunks: ['{"data":[]}'] };
      attempts += 1;
      if (attempts === 1) return tooMany({ 'retry-after': '1' });
      if (attempts === 2) return tooMany({ 'retry-after-ms': '250' });
      return toolCallStream();
    });
    const waits: number[] = [];
    const provider = createOpenAIProvider({
      apiKey: 'sk-test',
      baseUrl: `${server.url}/v1`,
      retry: instantRetry(waits),
    });
    const { events, finish } = await collectTurn(
      provider.streamTurn({ model: 'gpt-4o', messages: [{ role: 'user', content: 'ls' }] }),
    );
    expect(waits).toEqual([1000, 250]);
    const retries = events.filter((event) => event.type === 'retry-waiting');
    expect(retries).toEqual([
      expect.objectContaining({
        seconds: 1,
        attempt: 1,
        failure: expect.objectContaining({ code: 'rate-limited', status: 429 }),
      }),
      expect.objectContaining({ seconds: 0.25, attempt: 2 }),
    ]);
    expect(finish.reason).toBe('tool-calls');
    expect(finish.failure).toBeNull();
  });

  it('gives up after the retries with a rate-limit error that says how long it asked to wait', async () => {
    server = await startWireServer(() => tooMany({ 'retry-after': '2' }));
    const waits: number[] = [];
    const provider = new AnthropicProvider({
      apiKey: 'test',
      baseUrl: server.url,
      retry: instantRetry(waits),
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(waits).toEqual([2000, 2000, 2000]);
    expect(server.requests).toHaveLength(4);
    expect(finish.reason).toBe('error');
    expect(finish.failure).toMatchObject({ code: 'rate-limited', isRetryable: true });
    expect(finish.failure?.message).toContain('asked to wait 2s');
  });

  it('does not wait out a Retry-After longer than the policy allows', async () => {
    server = await startWireServer(() => tooMany({ 'retry-after': '3600' }));
    const waits: number[] = [];
    const provider = createOpenAIProvider({
      apiKey: 'sk-test',
      baseUrl: `${server.url}/v1`,
      retry: instantRetry(waits),
    });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(waits).toEqual([]);
    expect(finish.failure?.message).toContain('asked to wait 3600s');
  });

  it('stops waiting when the person presses Stop during the wait', async () => {
    server = await startWireServer(() => tooMany({ 'retry-after': '30' }));
    const controller = new AbortController();
    const provider = createOpenAIProvider({
      apiKey: 'sk-test',
      baseUrl: `${server.url}/v1`,
      retry: {
        ...instantRetry(),
        sleep: (_ms, signal) =>
          new Promise<void>((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
            controller.abort();
          }),
      },
    });
    const { finish } = await collectTurn(
      provider.streamTurn({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        signal: controller.signal,
      }),
    );
    expect(finish.reason).toBe('stopped');
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});
