/**
 * Issue 9 item 4, the Export dialog's routes on the real app (both engines): the preview's counts are the
 * download's, its examples are the lines as written (secrets redacted), the card is the dataset card for those
 * counts, the download is a JSON Lines attachment, and the filters reach the row source.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportPreview } from '../src/core/api/dataset-schemas.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import type { TestApp } from './support/test-app.ts';

const SECRET = 'sk-proj-abc123abc123abc123abc123abc123';

/** The answer's JSON; any 2xx unless `status` is given. */
async function json<T>(response: Response, status?: number): Promise<T> {
  const body = (await response.json()) as T;
  if (status === undefined ? !response.ok : response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

describeEachAppEngine('export routes', (engine) => {
  let t: TestApp;
  let first: string;
  let second: string;

  async function conversation(title: string, question: string, answer: string): Promise<string> {
    const { id } = await json<{ id: string }>(await t.api('POST', '/api/conversations', { title }));
    await json(await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: question }));
    await json(
      await t.api('POST', `/api/conversations/${id}/messages`, { role: 'assistant', content: answer }),
    );
    return id;
  }

  beforeAll(async () => {
    t = await engine.startApp();
    first = await conversation('Keys', `My key is ${SECRET}, why does the call fail?`, 'It has expired.');
    second = await conversation('Lists', 'How do I reverse a list in Python?', 'Use `items[::-1]`.');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('previews the true counts, the first lines as written, and the card', async () => {
    const preview = await json<ExportPreview>(
      await t.api('POST', '/api/exports/preview', { format: 'openai-sft', filters: {} }),
    );
    expect(preview.counts.written).toBe(2);
    expect(preview.counts.tokens).toBeGreaterThan(0);
    expect(preview.counts.sources).toEqual({ conversation: 2 });
    expect(preview.counts.redactions['openai-key']).toBe(1);
    expect(preview.examples).toHaveLength(2);
    expect(JSON.stringify(preview.examples)).not.toContain(SECRET);
    const lines = preview.examples.map((example) => example.line as { messages: { role: string }[] });
    expect(lines[0]?.messages.map((message) => message.role)).toEqual(
      expect.arrayContaining(['user', 'assistant']),
    );
    expect(preview.maxTokens).toBe(65_536);
    expect(preview.card).toMatch(/^---\n/);
    expect(preview.card).toContain('| examples written | 2 |');
    expect(preview.card).toMatch(/path: "mp-openai-sft-\d{4}-\d{2}-\d{2}\.jsonl"/);
  });

  it('downloads the same lines as a JSON Lines attachment', async () => {
    const response = await t.api('POST', '/api/exports', { format: 'openai-sft', filters: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="mp-openai-sft-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('messages');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[REDACTED:openai-key]');
  });

  it('takes only the conversations the filters name, and applies the token limit', async () => {
    const only = await json<ExportPreview>(
      await t.api('POST', '/api/exports/preview', {
        format: 'openai-sft',
        filters: { conversationIds: [second] },
      }),
    );
    expect(only.counts.written).toBe(1);
    expect(only.examples[0]?.conversationId).toBe(second);
    const tight = await json<ExportPreview>(
      await t.api('POST', '/api/exports/preview', {
        format: 'openai-sft',
        filters: { conversationIds: [first, second] },
        maxTokens: 5,
      }),
    );
    expect(tight.counts.written).toBe(0);
    expect(tight.counts.dropped['too-long']).toBe(2);
    const file = await t.api('POST', '/api/exports', { format: 'openai-sft', filters: {}, maxTokens: 5 });
    expect(await file.text()).toBe('');
  });

  it('refuses a format it cannot build, naming the field', async () => {
    const answer = await json<{ error: { field?: string } }>(
      await t.api('POST', '/api/exports', { format: 'dump', filters: {} }),
      400,
    );
    expect(answer.error.field).toBe('format');
  });
});
