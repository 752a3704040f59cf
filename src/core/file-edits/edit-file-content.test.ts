import { describe, expect, it } from 'vitest';
import { editFileContent, writeFileContent } from './edit-file-content.ts';
import { decodeText, dominantLineEnding, LfOffsetMap } from './text-encoding.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
const BOM = '\uFEFF';

describe('decodeText', () => {
  it('reads UTF-8 text, its BOM and its dominant line ending', () => {
    expect(decodeText(bytes(`${BOM}a\r\nb\r\nc\n`))).toEqual({
      ok: true,
      decoded: { text: 'a\r\nb\r\nc\n', bom: true, lineEnding: 'crlf' },
    });
    expect(decodeText(bytes('a\nb\r\n'))).toMatchObject({
      ok: true,
      decoded: { lineEnding: 'lf', bom: false },
    });
  });

  it('refuses binary, UTF-16 and invalid UTF-8', () => {
    expect(decodeText(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x00, 0x01))).toEqual({
      ok: false,
      reason: 'binary',
    });
    expect(decodeText(Uint8Array.of(0xff, 0xfe, 0x61, 0x00))).toEqual({ ok: false, reason: 'utf16' });
    // "café" in Latin-1: 0xe9 alone is not UTF-8.
    expect(decodeText(Uint8Array.of(0x63, 0x61, 0x66, 0xe9))).toEqual({ ok: false, reason: 'not_utf8' });
  });

  it('keeps LF on a tie and for text without line breaks', () => {
    expect(dominantLineEnding('a\r\nb\n')).toBe('lf');
    expect(dominantLineEnding('abc')).toBe('lf');
  });

  it('maps offsets of the LF form back to the text with CRLF', () => {
    const original = 'ab\r\ncd\r\nef';
    const map = new LfOffsetMap(original);
    // LF form: 'ab\ncd\nef'
    expect([0, 2, 3, 5, 6, 8].map((offset) => map.toOriginal(offset))).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe('editFileContent', () => {
  it('edits a CRLF file with LF blocks and writes CRLF back', () => {
    const outcome = editFileContent(bytes('one\r\ntwo\r\nthree\r\n'), [
      { oldText: 'two\n', newText: 'TWO\n2\n' },
    ]);
    expect(outcome).toMatchObject({ ok: true, before: 'one\ntwo\nthree\n', after: 'one\nTWO\n2\nthree\n' });
    if (!outcome.ok) return;
    expect(text(outcome.bytes)).toBe('one\r\nTWO\r\n2\r\nthree\r\n');
  });

  it('leaves every byte outside the edited span as it was, in a file with mixed endings', () => {
    const original = 'a\r\nb\nc\r\nd\n\re\r\n';
    const outcome = editFileContent(bytes(original), [{ oldText: 'c', newText: 'C' }]);
    expect(outcome.ok && text(outcome.bytes)).toBe('a\r\nb\nC\r\nd\n\re\r\n');
  });

  it('accepts blocks written with CRLF', () => {
    const outcome = editFileContent(bytes('x\r\ny\r\n'), [{ oldText: 'x\r\ny', newText: 'z' }]);
    expect(outcome.ok && text(outcome.bytes)).toBe('z\r\n');
  });

  it('keeps a UTF-8 BOM', () => {
    const outcome = editFileContent(bytes(`${BOM}héllo\n`), [{ oldText: 'héllo', newText: 'wörld' }]);
    expect(outcome).toMatchObject({ ok: true, before: 'héllo\n', after: 'wörld\n' });
    if (!outcome.ok) return;
    expect([...outcome.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text(outcome.bytes)).toBe(`${BOM}wörld\n`);
  });

  it('refuses to edit a file that is not UTF-8 text', () => {
    const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x0a);
    expect(editFileContent(latin1, [{ oldText: 'caf', newText: 'bar' }])).toEqual({
      ok: false,
      problem: { kind: 'not_text', reason: 'not_utf8' },
    });
    expect(editFileContent(Uint8Array.of(0, 1, 2), [{ oldText: 'x', newText: 'y' }])).toEqual({
      ok: false,
      problem: { kind: 'not_text', reason: 'binary' },
    });
  });

  it('creates a new file from one block with an empty old text, and refuses other edits of a missing file', () => {
    expect(editFileContent(null, [{ oldText: '', newText: 'new\n' }])).toMatchObject({
      ok: true,
      before: null,
      after: 'new\n',
    });
    expect(editFileContent(null, [{ oldText: 'x', newText: 'y' }])).toEqual({
      ok: false,
      problem: { kind: 'not_found', action: 'edit' },
    });
  });

  it('reaches a last line without a line break with whole-line blocks, and keeps it without one', () => {
    const file = bytes('first\r\nlast');
    const replaced = editFileContent(file, [{ oldText: 'last\n', newText: 'LAST\n' }]);
    expect(replaced.ok && text(replaced.bytes)).toBe('first\r\nLAST');
    const deleted = editFileContent(file, [{ oldText: 'last\n', newText: '' }]);
    // The file still ends without a line break, now after "first".
    expect(deleted).toMatchObject({ ok: true, after: 'first' });
    expect(deleted.ok && text(deleted.bytes)).toBe('first');
    const appended = editFileContent(file, [{ oldText: 'last\n', newText: 'last\nmore\n' }]);
    expect(appended.ok && text(appended.bytes)).toBe('first\r\nlast\r\nmore');
  });

  it('reports the failing blocks and produces no bytes when one block fails', () => {
    const outcome = editFileContent(bytes('a\nb\n'), [
      { oldText: 'a', newText: 'A' },
      { oldText: 'zzz', newText: '' },
    ]);
    expect(outcome).toMatchObject({
      ok: false,
      problem: { kind: 'edit_blocks', failures: [{ block: 2, kind: 'not_found' }] },
    });
    expect('bytes' in outcome).toBe(false);
  });
});

describe('writeFileContent', () => {
  it('writes a new file as given', () => {
    const outcome = writeFileContent(null, 'a\nb');
    expect(outcome).toMatchObject({ ok: true, before: null, after: 'a\nb' });
    expect(outcome.ok && text(outcome.bytes)).toBe('a\nb');
  });

  it('writes over an existing file in its line ending and with its BOM', () => {
    const outcome = writeFileContent(bytes(`${BOM}old\r\n`), 'new\nlines\n');
    expect(outcome).toMatchObject({ ok: true, before: 'old\n', after: 'new\nlines\n' });
    expect(outcome.ok && text(outcome.bytes)).toBe(`${BOM}new\r\nlines\r\n`);
  });

  it('does not replace a binary file with text', () => {
    expect(writeFileContent(Uint8Array.of(0x00, 0xff), 'text')).toEqual({
      ok: false,
      problem: { kind: 'not_text', reason: 'binary' },
    });
  });
});
