import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/providers/anthropic.ts';
import { createOpenAIProvider } from '../../src/providers/openai.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { chunk, toolDelta } from './support/openai-script.ts';
import {
  type ScriptedResponse,
  SSE_HEADERS,
  sse,
  startWireServer,
  type WireServer,
} from './support/wire-server.ts';

let server: WireServer | undefined;
afterEach(() => server?.close());

const partialToolCall = [
  chunk({ role: 'assistant', content: 'Listing.' }),
  chunk(toolDelta({ id: 'call_cut', name: 'run_command', arguments: '{"comm' })),
  chunk(toolDelta({ arguments: 'and": "ls' })),
];

describe('a stream cut mid-tool-call', () => {
  for (const after of ['destroy', 'end'] as const) {
    it(`keeps the text and the partial call, marked incomplete, and ends with an error (${after})`, async () => {
      server = await startWireServer(
        (): ScriptedResponse => ({
          headers: SSE_HEADERS,
          chunks: sse(partialToolCall, { done: false }),
          after,
        }),
      );
      const provider = createOpenAIProvider({
        apiKey: 'sk-test',
        baseUrl: `${server.url}/v1`,
        retry: instantRetry(),
      });
      const { events, finish } = await collectTurn(
        provider.streamTurn({ model: 'gpt-4o', messages: [{ role: 'user', content: 'ls' }] }),
      );
      expect(finish.reason).toBe('error');
      expect(finish.message.content).toBe('Listing.');
      expect(finish.message.toolCalls).toEqual([
        { id: 'call_cut', name: 'run_command', arguments: '{"command": "ls', complete: false },
      ]);
      expect(finish.failure?.code).toBe(after === 'destroy' ? 'connection' : 'stream-incomplete');
      expect(finish.failure?.message).toContain('what arrived is kept');
      expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'retry-waiting')).toHaveLength(0);
      expect(finish.record.response).toContain('call_cut');
    });
  }

  it('keeps a partial Anthropic tool_use when the connection drops', async () => {
    const events = [
      { type: 'message_start', message: { id: 'msg', usage: { input_tokens: 10, output_tokens: 1 } } },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'run_command', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"command":' },
      },
    ];
    server = await startWireServer(() => ({
      headers: SSE_HEADERS,
      chunks: events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      after: 'destroy',
    }));
    const provider = new AnthropicProvider({ apiKey: 'test', baseUrl: server.url, retry: instantRetry() });
    const { finish } = await collectTurn(
      provider.streamTurn({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'ls' }] }),
    );
    expect(finish.reason).toBe('error');
    expect(finish.message.toolCalls).toEqual([
      { id: 'toolu_1', name: 'run_command', arguments: '{"command":', complete: false },
    ]);
  });
});
