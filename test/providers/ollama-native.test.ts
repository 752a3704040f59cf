import { afterEach, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/providers/ollama.ts';
import { ollamaBaseUrl } from '../../src/providers/ollama-host.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

describe('Ollama (native /api/chat)', () => {
  it('lists models from /api/tags, reads window and tools from /api/show, and streams NDJSON', async () => {
    server = await startWireServer((request) => {
      if (request.path === '/api/tags') {
        return {
          chunks: [
            JSON.stringify({
              models: [
                { name: 'qwen3:8b', model: 'qwen3:8b' },
                { name: 'llama3.2:latest', model: 'llama3.2:latest' },
              ],
            }),
          ],
        };
      }
      if (request.path === '/api/show') {
        return {
          chunks: [
            JSON.stringify({
              model_info: { 'qwen3.context_length': 40960 },
              capabilities: ['completion', 'tools'],
            }),
          ],
        };
      }
      const lines = [
        { model: 'qwen3:8b', message: { role: 'assistant', content: '', thinking: 'hmm' }, done: false },
        {
          model: 'qwen3:8b',
          message: {
            role: 'assistant',
            content: '',
            tool_calls: [{ function: { name: 'run_command', arguments: { command: 'ls' } } }],
          },
          done: false,
        },
        {
          model: 'qwen3:8b',
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: 50,
          eval_count: 7,
        },
      ];
      return {
        headers: { 'content-type': 'application/x-ndjson' },
        chunks: lines.map((line) => `${JSON.stringify(line)}\n`),
      };
    });
    const provider = new OllamaProvider({ host: server.url, retry: instantRetry() });
    expect(await provider.listModels()).toEqual({
      ok: true,
      models: [{ id: 'qwen3:8b' }, { id: 'llama3.2:latest' }],
    });
    expect(await provider.capabilities('qwen3:8b')).toMatchObject({ tools: true, contextWindow: 8192 });

    const tool = { name: 'run_command', description: 'Run', parameters: { type: 'object' } };
    const { finish } = await collectTurn(
      provider.streamTurn({
        model: 'qwen3:8b',
        messages: [{ role: 'user', content: 'ls' }],
        tools: [tool],
        temperature: 0,
      }),
    );
    expect(finish.reason).toBe('tool-calls');
    expect(finish.message.reasoning).toBe('hmm');
    expect(finish.message.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        name: 'run_command',
        arguments: '{"command":"ls"}',
        complete: true,
      },
    ]);
    expect(finish.usage).toEqual({ inputTokens: 50, outputTokens: 7 });
    const sent = server.requests.find((request) => request.path === '/api/chat');
    expect(sent?.body).toMatchObject({
      model: 'qwen3:8b',
      stream: true,
      options: { num_ctx: 8192, temperature: 0 },
      tools: [{ type: 'function' }],
    });
    expect(finish.record.request).toEqual(sent?.body);
  });

  it('says it cannot reach Ollama, naming the address', async () => {
    server = await startWireServer(() => ({ chunks: [] }));
    const url = server.url;
    await server.close();
    server = undefined;
    const provider = new OllamaProvider({ host: url, retry: instantRetry() });
    const list = await provider.listModels();
    expect(list).toMatchObject({ ok: false, failure: { code: 'connection' } });
    if (!list.ok) expect(list.failure.message).toContain(url);
  });

  it('reads OLLAMA_HOST the way Ollama does', () => {
    expect(ollamaBaseUrl(undefined)).toBe('http://127.0.0.1:11434');
    expect(ollamaBaseUrl('0.0.0.0:11434')).toBe('http://127.0.0.1:11434');
    expect(ollamaBaseUrl('http://gpu-box:9000/')).toBe('http://gpu-box:9000');
    expect(ollamaBaseUrl('127.0.0.1')).toBe('http://127.0.0.1:11434');
  });
});
