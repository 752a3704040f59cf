import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/core/provider.ts';
import { AnthropicProvider } from '../../src/providers/anthropic.ts';
import { OllamaProvider } from '../../src/providers/ollama.ts';
import { createOpenAIProvider } from '../../src/providers/openai.ts';
import { createOpenAICompatibleProvider } from '../../src/providers/openai-compatible-presets.ts';
import { hasSharedFixture, requirement } from '../support/environment.ts';
import { EXPECTED, type Expected, UNSUPPORTED } from './fixture-expectations.ts';
import { collectTurn, instantRetry, streamedArguments, streamedText } from './support/collect-turn.ts';
import {
  fixtureFiles,
  loadWireFixture,
  splitEvery,
  splitSeeded,
  type WireFixture,
} from './support/wire-fixtures.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

const available = requirement('../shared/fixtures/wire', hasSharedFixture('wire', 'SOURCES.md'));

/** The chunks the server writes for the current case; set by each test before it calls the provider. */
let script: Buffer[] = [];
let current: WireFixture | null = null;
let server: WireServer;

beforeAll(async () => {
  server = await startWireServer((request) => {
    if (request.method === 'GET' && request.path.endsWith('/models')) {
      return { chunks: [JSON.stringify({ object: 'list', data: [] })] };
    }
    if (request.path === '/api/show') return { status: 404, chunks: ['{"error":"not found"}'] };
    return { headers: { 'content-type': current?.contentType ?? 'text/event-stream' }, chunks: script };
  });
});
afterAll(() => server?.close());

function providerFor(fixture: WireFixture): { provider: ModelProvider; model: string } {
  const retry = instantRetry();
  if (fixture.format === 'anthropic') {
    return {
      provider: new AnthropicProvider({ apiKey: 'test-key', baseUrl: server.url, retry }),
      model: 'claude-sonnet-4-6',
    };
  }
  if (fixture.format === 'ollama')
    return { provider: new OllamaProvider({ host: server.url, retry }), model: 'qwen3' };
  if (fixture.file.startsWith('openai-')) {
    return {
      provider: createOpenAIProvider({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, retry }),
      model: 'gpt-4o',
    };
  }
  return {
    provider: createOpenAICompatibleProvider({
      id: 'compatible',
      baseUrl: `${server.url}/v1`,
      apiKey: null,
      retry,
    }),
    model: 'served-model',
  };
}

function splits(fixture: WireFixture): [string, Buffer[]][] {
  const cases: [string, Buffer[]][] = [['as recorded', fixture.recordedChunks ?? [fixture.bytes]]];
  for (let size = 1; size <= 7; size += 1)
    cases.push([`every ${size} bytes`, splitEvery(fixture.bytes, size)]);
  for (const seed of [1, 42, 2024]) cases.push([`seeded split ${seed}`, splitSeeded(fixture.bytes, seed)]);
  return cases;
}

function checkText(actual: string, expected: Expected['text']): void {
  if (typeof expected === 'string') {
    expect(actual).toBe(expected);
  } else {
    expect(actual.length).toBe(expected.length);
    expect(actual.startsWith(expected.startsWith)).toBe(true);
    expect(actual.endsWith(expected.endsWith)).toBe(true);
  }
}

describe.runIf(available)('every recorded wire fixture assembles, whole and split at arbitrary bytes', () => {
  const files = available ? fixtureFiles() : [];

  it('has an expectation for every file (18 recordings)', () => {
    expect(files).toHaveLength(18);
    for (const file of files) expect(file in EXPECTED || UNSUPPORTED.has(file)).toBe(true);
  });

  for (const file of files.filter((name) => !UNSUPPORTED.has(name))) {
    it(file, async () => {
      const fixture = loadWireFixture(file);
      const expected = EXPECTED[file] as Expected;
      const { provider, model } = providerFor(fixture);
      for (const [label, chunks] of splits(fixture)) {
        current = fixture;
        script = chunks;
        const { events, finish } = await collectTurn(
          provider.streamTurn({ model, messages: [{ role: 'user', content: 'go' }] }),
        );
        const context = `${file}, ${label}`;
        expect(finish.reason, context).toBe(expected.reason);
        expect(finish.failure?.code, context).toBe(expected.failureCode);
        if (expected.failureCode !== undefined)
          expect(finish.failure?.message).toContain('insufficient_quota');
        checkText(finish.message.content, expected.text);
        checkText(streamedText(events), expected.text);
        if (expected.reasoning !== undefined)
          expect(finish.message.reasoning, context).toBe(expected.reasoning);
        expect(finish.message.toolCalls, context).toHaveLength(expected.toolCalls.length);
        expected.toolCalls.forEach((call, index) => {
          const actual = finish.message.toolCalls[index];
          expect(actual?.name, context).toBe(call.name);
          expect(actual?.arguments, context).toBe(call.arguments);
          expect(actual?.complete, context).toBe(call.complete);
          if (typeof call.id === 'string') expect(actual?.id, context).toBe(call.id);
          else expect(actual?.id, context).toMatch(call.id);
          if (fixture.format !== 'ollama' && call.arguments !== '{}') {
            const start = events.find((event) => event.type === 'tool-call-start' && event.id === actual?.id);
            const index = start?.type === 'tool-call-start' ? start.index : -1;
            expect(streamedArguments(events, index), context).toBe(call.arguments);
          }
        });
        expect(
          finish.usage === null
            ? null
            : { inputTokens: finish.usage.inputTokens, outputTokens: finish.usage.outputTokens },
          context,
        ).toEqual(expected.usage);
        // The raw response is what arrived: all of it, or up to the error where the call stopped reading.
        const wire = fixture.bytes.toString('utf8');
        if (expected.reason === 'error') expect(wire.startsWith(finish.record.response), context).toBe(true);
        else expect(finish.record.response, context).toBe(wire);
        expect(finish.record.request, context).toMatchObject({ model, stream: true });
      }
    });
  }
});
