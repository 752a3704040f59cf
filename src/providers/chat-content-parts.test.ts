import { describe, expect, it } from 'vitest';
import { contentPieces } from './chat-content-parts.ts';

describe('contentPieces', () => {
  it('reads a string, null and absence', () => {
    expect(contentPieces('Hi')).toEqual({ ok: true, pieces: [{ kind: 'text', text: 'Hi' }] });
    expect(contentPieces('')).toEqual({ ok: true, pieces: [] });
    expect(contentPieces(null)).toEqual({ ok: true, pieces: [] });
    expect(contentPieces(undefined)).toEqual({ ok: true, pieces: [] });
  });

  it('keeps the order of thinking and text parts, text nested in thinking being reasoning', () => {
    expect(
      contentPieces([
        {
          type: 'thinking',
          thinking: [
            { type: 'text', text: 'hmm' },
            { type: 'reference', reference_ids: [1] },
          ],
        },
        { type: 'text', text: 'Hi' },
        { type: 'thinking', thinking: [{ type: 'text', text: ' again' }], closed: true },
      ]),
    ).toEqual({
      ok: true,
      pieces: [
        { kind: 'reasoning', text: 'hmm' },
        { kind: 'text', text: 'Hi' },
        { kind: 'reasoning', text: ' again' },
      ],
    });
  });

  it('skips parts without conversation text, whatever their type', () => {
    expect(
      contentPieces([
        { type: 'image_url', image_url: { url: 'x' } },
        { type: 'from-the-future', text: 1 },
        {},
      ]),
    ).toEqual({ ok: true, pieces: [] });
  });

  it('says which field is wrong when a known part breaks its shape', () => {
    expect(
      contentPieces([
        { type: 'text', text: 'a' },
        { type: 'refusal', refusal: ['x'] },
      ]),
    ).toEqual({
      ok: false,
      problem: 'content.1.refusal is a list, not text',
    });
    expect(contentPieces(7)).toEqual({
      ok: false,
      problem: 'content is a number, not text or a list of parts',
    });
  });
});
