import { afterAll, describe, expect, it } from 'vitest';
import { LlamaCppProvider } from '../../src/providers/llama-cpp.ts';
import { hasSharedFixture, requirement, sharedFixture } from '../support/environment.ts';
import { collectTurn } from './support/collect-turn.ts';

const available = requirement(
  '../shared/fixtures/models/tiny-random-llama.gguf',
  hasSharedFixture('models', 'tiny-random-llama.gguf'),
);
const modelPath = sharedFixture('models', 'tiny-random-llama.gguf');
// gpu: false and threads: 1 (see the model's README); build 'never' is fixed inside the provider.
const provider = new LlamaCppProvider({ gpu: false, threads: 1, contextSize: 8192 });
afterAll(() => provider.dispose());

const runCommand = {
  name: 'run_command',
  description: 'Run a shell command in the workspace',
  parameters: {
    type: 'object',
    properties: { command: { type: 'string' }, timeoutSeconds: { type: 'number' } },
    required: ['command'],
  },
};

describe.runIf(available)('in-process GGUF through node-llama-cpp', () => {
  it('loads the file and streams a plain answer', async () => {
    const { events, finish } = await collectTurn(
      provider.streamTurn({
        model: modelPath,
        messages: [{ role: 'user', content: 'Hello' }],
        temperature: 0,
      }),
    );
    expect(finish.reason).toBe('stop');
    expect(finish.message.content).toBe('Hi!');
    expect(events.filter((event) => event.type === 'text-delta').length).toBeGreaterThan(1);
    expect(finish.record).toMatchObject({ provider: 'llama-cpp', baseUrl: null, request: { modelPath } });
    expect(finish.usage?.outputTokens).toBeGreaterThan(0);
    const preview = await provider.preview({
      model: modelPath,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(preview.tokens.exact).toBe(true);
    expect(preview.capabilities.contextWindow).toBe(8192);
  });

  it('stops when the signal aborts, keeping what arrived', async () => {
    const controller = new AbortController();
    let finish: unknown;
    for await (const event of provider.streamTurn({
      model: modelPath,
      messages: [{ role: 'user', content: 'Hello' }],
      signal: controller.signal,
    })) {
      if (event.type === 'text-delta') controller.abort();
      if (event.type === 'finish') finish = event;
    }
    expect(finish).toMatchObject({ reason: 'stopped', failure: null });
    const content = (finish as { message: { content: string } }).message.content;
    expect(content.length).toBeGreaterThan(0);
    expect('Hi!'.startsWith(content)).toBe(true);
    expect(content).not.toBe('Hi!');
  });

  it('surfaces a real function call as a tool-call event', async () => {
    const { events, finish } = await collectTurn(
      provider.streamTurn({
        model: modelPath,
        messages: [{ role: 'user', content: 'List the files' }],
        tools: [runCommand],
      }),
    );
    expect(finish.reason).toBe('tool-calls');
    expect(finish.message.toolCalls).toHaveLength(1);
    const call = finish.message.toolCalls[0];
    expect(call).toMatchObject({ name: 'run_command', complete: true });
    expect(typeof (JSON.parse(call?.arguments ?? '') as { command: unknown }).command).toBe('string');
    expect(events.some((event) => event.type === 'tool-call-start' && event.name === 'run_command')).toBe(
      true,
    );
  });

  it('says plainly when the file is not there', async () => {
    const { finish } = await collectTurn(
      provider.streamTurn({ model: '/nowhere/model.gguf', messages: [{ role: 'user', content: 'Hello' }] }),
    );
    expect(finish.failure).toMatchObject({ code: 'model-file-missing' });
    expect(finish.failure?.message).toContain('/nowhere/model.gguf');
  });
});
