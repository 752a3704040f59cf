import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS, type ExportEvent, exportDataset, newExportSummary } from './export-dataset.ts';
import { chainRecord, recordsOf } from './test-records.ts';

async function collect(events: AsyncIterable<ExportEvent>): Promise<ExportEvent[]> {
  const result: ExportEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
}

const options = { includeUnchecked: false, maxTokens: DEFAULT_MAX_TOKENS['openai-sft'] };

describe('exportDataset', () => {
  it('writes a conversation as one openai-sft line and counts it', async () => {
    const record = chainRecord([
      { role: 'user', content: 'List the files' },
      { role: 'assistant', content: 'Here they are.' },
    ]);
    const summary = newExportSummary();
    const events = await collect(exportDataset('openai-sft', recordsOf(record), options, summary));
    expect(events).toHaveLength(1);
    const event = events[0];
    if (event?.kind !== 'line') throw new Error('expected a line');
    const value = JSON.parse(event.text);
    expect(value.messages).toEqual([
      { role: 'user', content: 'List the files' },
      { role: 'assistant', content: 'Here they are.' },
    ]);
    expect(value.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual([
      'run_command',
      'read_file',
      'write_file',
      'edit_file',
    ]);
    expect(summary).toMatchObject({ written: 1, sources: { conversation: 1 } });
    expect(summary.tokens).toBe(event.tokens);
    expect(event.tokens).toBeGreaterThan(10);
  });

  it('drops an identical line, a line over the limit and a line with nothing to learn, counting each', async () => {
    const twin = () =>
      chainRecord([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ]);
    const long = chainRecord([
      { role: 'user', content: 'Tell me' },
      { role: 'assistant', content: 'word '.repeat(3000) },
    ]);
    const questionOnly = chainRecord([{ role: 'user', content: 'Anyone?' }]);
    const summary = newExportSummary();
    const events = await collect(
      exportDataset(
        'openai-sft',
        recordsOf(twin(), twin(), long, questionOnly),
        { ...options, maxTokens: 2000 },
        summary,
      ),
    );
    expect(events.map((event) => (event.kind === 'line' ? 'line' : event.reason))).toEqual([
      'line',
      'duplicate',
      'too-long',
      'empty',
    ]);
    expect(summary.written).toBe(1);
    expect(summary.dropped).toEqual({ duplicate: 1, 'too-long': 1, invalid: 0, empty: 1 });
  });

  it('redacts secrets in the line and counts them per kind only for lines written', async () => {
    const key = 'sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
    const record = chainRecord([
      { role: 'user', content: `My key is ${key}` },
      { role: 'assistant', content: 'Do not paste keys.' },
    ]);
    const summary = newExportSummary();
    const events = await collect(exportDataset('openai-sft', recordsOf(record, record), options, summary));
    const line = events.find((event) => event.kind === 'line');
    if (line?.kind !== 'line') throw new Error('expected a line');
    expect(line.text).not.toContain(key);
    expect(line.text).toContain('[REDACTED:openai-key]');
    expect(summary.redactions).toEqual({ 'openai-key': 1 });
  });

  it('writes a line whose words only look like a secret’s name exactly as built, redacting nothing', async () => {
    const record = chainRecord([
      { role: 'user', content: 'Which token passes the auth check? The key is in the docs://readme' },
      { role: 'assistant', content: 'The bearer of the secret: see the credentials page.' },
    ]);
    const summary = newExportSummary();
    const [line] = await collect(exportDataset('openai-sft', recordsOf(record), options, summary));
    if (line?.kind !== 'line') throw new Error('expected a line');
    expect(JSON.parse(line.text).messages.map((message: { content: string }) => message.content)).toEqual([
      'Which token passes the auth check? The key is in the docs://readme',
      'The bearer of the secret: see the credentials page.',
    ]);
    expect(line.data.toString()).toBe(line.text);
    expect(summary.redactions).toEqual({});
  });

  it('reports an invalid line and never writes it', async () => {
    const record = chainRecord([
      { role: 'user', content: 'Run it' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'run_command', arguments: '{"command":' }],
      },
      { role: 'tool', content: 'ok', toolCallId: 'call_1' },
      { role: 'assistant', content: 'Done.' },
    ]);
    const summary = newExportSummary();
    const events = await collect(exportDataset('openai-sft', recordsOf(record), options, summary));
    expect(events.map((event) => event.kind)).toEqual(['dropped']);
    expect(summary.dropped.invalid).toBe(1);
    expect(summary.invalid).toEqual([
      { conversationId: 'c1', source: 'conversation', problem: expect.stringContaining('not valid JSON') },
    ]);
  });

  it('decides the token limit by counting a line whose bytes alone cannot show it within the limit', async () => {
    // About 1,000 tokens in 5,000 bytes: over a 2,000-token limit by bytes, within it by tokens.
    const wordy = chainRecord([
      { role: 'user', content: 'Tell me' },
      { role: 'assistant', content: 'word '.repeat(1000) },
    ]);
    const summary = newExportSummary();
    const events = await collect(
      exportDataset('openai-sft', recordsOf(wordy), { ...options, maxTokens: 2000 }, summary),
    );
    expect(events.map((event) => event.kind)).toEqual(['line']);
    expect(summary.tokens).toBeGreaterThan(1000);
    expect(summary.tokens).toBeLessThan(2000);
    expect(summary.tokensEstimated).toBe(false);
  });

  it('counts one line in N when asked and estimates the total from them, labelled so', async () => {
    const records = () =>
      recordsOf(
        ...Array.from({ length: 40 }, (_, index) =>
          chainRecord(
            [
              { role: 'user', content: `Question ${index}: ${'why does the build fail '.repeat(index + 1)}` },
              { role: 'assistant', content: `Because ${'a fixture is missing '.repeat(40 - index)}` },
            ],
            { conversation: { id: `c${index}` } },
          ),
        ),
      );
    const exact = newExportSummary();
    const exactLines = await collect(exportDataset('openai-sft', records(), options, exact));
    const sampled = newExportSummary();
    const sampledLines = await collect(
      exportDataset('openai-sft', records(), { ...options, countTokensEvery: 8 }, sampled),
    );
    expect(exact.tokensEstimated).toBe(false);
    expect(exact.tokens).toBe(
      exactLines.reduce((sum, event) => sum + ((event as { tokens: number }).tokens ?? 0), 0),
    );
    expect(sampled.tokensEstimated).toBe(true);
    expect(sampled.written).toBe(40);
    // Lines 1, 9, 17, 25 and 33 are the sample, counted as they come; none is counted exactly.
    expect(sampledLines.every((event) => (event as { tokens: number | null }).tokens === null)).toBe(true);
    expect(Math.abs(sampled.tokens - exact.tokens) / exact.tokens).toBeLessThan(0.05);
  });
});
