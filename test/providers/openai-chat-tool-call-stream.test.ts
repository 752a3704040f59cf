import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from '../../src/providers/openai.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { toolCallStream } from './support/openai-script.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

const tool = {
  name: 'run_command',
  description: 'Run a shell command',
  parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
};

describe('OpenAI chat-completions SSE', () => {
  it('assembles tool-call arguments split across many chunks and takes the final usage chunk', async () => {
    server = await startWireServer(() => toolCallStream());
    const provider = createOpenAIProvider({
      apiKey: 'sk-secret-key',
      baseUrl: `${server.url}/v1`,
      retry: instantRetry(),
    });
    const { events, finish } = await collectTurn(
      provider.streamTurn({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'list files', name: 'jane' }],
        tools: [tool],
        temperature: 0.1,
        maxOutputTokens: 500,
      }),
    );
    expect(finish.reason).toBe('tool-calls');
    expect(finish.message.toolCalls).toEqual([
      { id: 'call_abc', name: 'run_command', arguments: '{"command": "ls -la"}', complete: true },
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta')).toHaveLength(8);
    expect(events.map((event) => event.type)).toContain('tool-call-end');
    expect(finish.usage).toEqual({ inputTokens: 21, outputTokens: 9, details: { cachedInputTokens: 4 } });
    expect(finish.record.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);

    // The exact body that left, as the server received it, is what the record keeps.
    const received = server.requests.find((request) => request.method === 'POST');
    expect(received?.path).toBe('/v1/chat/completions');
    expect(finish.record.request).toEqual(received?.body);
    expect(received?.body).toMatchObject({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'list files', name: 'jane' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.1,
      max_completion_tokens: 500,
    });
    expect(received?.headers.authorization).toBe('Bearer sk-secret-key');
    expect(JSON.stringify(finish.record)).not.toContain('sk-secret-key');
  });

  it('previews exactly the body it sends, with an exact o200k count for plain messages', async () => {
    server = await startWireServer(() => toolCallStream());
    const provider = createOpenAIProvider({ apiKey: 'sk-test', baseUrl: `${server.url}/v1` });
    const input = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }] };
    const preview = await provider.preview(input);
    expect(preview.tokens).toEqual({ tokens: 8, exact: true, method: 'gpt-4o chat format' });
    expect(preview.capabilities).toMatchObject({ contextWindow: 128_000, tools: true, source: 'catalog' });
    await collectTurn(provider.streamTurn(input));
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual(preview.request);
  });
});
