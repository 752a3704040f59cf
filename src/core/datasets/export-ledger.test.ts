import { describe, expect, it } from 'vitest';
import { lineCandidate, screenLine } from './export-ledger.ts';
import { invalid } from './line-problem.ts';
import { LineTokenCounter } from './line-tokens.ts';

const key = 'sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
const origin = { source: 'conversation', conversationId: 'c1' };
const anyLine = () => null;

describe('lineCandidate', () => {
  it('says why an invalid example is left out without quoting a secret in it', () => {
    const quoting = (value: unknown) => invalid(`bad line: ${JSON.stringify(value)}`);
    const dropped = lineCandidate({ value: { text: `use ${key}` }, ...origin }, quoting);
    expect(dropped).toMatchObject({ kind: 'dropped', reason: 'invalid', origin });
    expect(JSON.stringify(dropped)).not.toContain(key);
    expect(JSON.stringify(dropped)).toContain('[REDACTED:openai-key]');
  });

  it('passes an example that only its redaction makes valid, for screenLine to redact and count', () => {
    const noSecret = (value: unknown) => (JSON.stringify(value).includes(key) ? invalid('a key') : null);
    const candidate = lineCandidate({ value: { text: `use ${key}` }, ...origin }, noSecret);
    if (candidate.kind !== 'candidate') throw new Error('expected a candidate');
    const line = screenLine(candidate, noSecret, 65_536, new LineTokenCounter());
    if (line.kind !== 'line') throw new Error('expected a line');
    expect(JSON.parse(line.text)).toEqual({ text: 'use [REDACTED:openai-key]' });
    expect(line.redactions).toEqual({ 'openai-key': 1 });
  });
});

describe('screenLine', () => {
  it('redacts each string of a line with a secret, keys left alone, and checks the line again as written', () => {
    const text = JSON.stringify({ key: `export OPENAI_API_KEY=${key}`, other: 'fine' });
    const seen: unknown[] = [];
    const line = screenLine(
      { kind: 'candidate', text, origin },
      (value) => {
        seen.push(value);
        return null;
      },
      65_536,
      new LineTokenCounter(),
    );
    if (line.kind !== 'line') throw new Error('expected a line');
    expect(JSON.parse(line.text)).toEqual({
      key: 'export OPENAI_API_KEY=[REDACTED:openai-key]',
      other: 'fine',
    });
    expect(line.redactions).toEqual({ 'openai-key': 1 });
    expect(seen).toEqual([JSON.parse(line.text)]);
    expect(line.data.equals(Buffer.from(line.text))).toBe(true);
    expect(line.bytes).toBe(line.data.length);
  });

  it('drops a line that redaction made invalid', () => {
    const text = JSON.stringify({ content: key });
    const dropped = screenLine(
      { kind: 'candidate', text, origin },
      (value) =>
        (value as { content: string }).content.startsWith('[REDACTED') ? invalid('redacted') : null,
      65_536,
      new LineTokenCounter(),
    );
    expect(dropped).toEqual({ kind: 'dropped', reason: 'invalid', origin, detail: 'redacted' });
  });

  it('keeps a line with a trigger word and no secret as it came, and hashes its bytes', () => {
    const text = JSON.stringify({ content: 'the token passes' });
    const line = screenLine({ kind: 'candidate', text, origin }, anyLine, 65_536, new LineTokenCounter());
    const same = screenLine({ kind: 'candidate', text, origin }, anyLine, 65_536, new LineTokenCounter());
    if (line.kind !== 'line' || same.kind !== 'line') throw new Error('expected lines');
    expect(line.text).toBe(text);
    expect(line.redactions).toEqual({});
    expect(line.hash).toBe(same.hash);
    expect(line.hash).toHaveLength(22);
  });
});
