import { describe, expect, it } from 'vitest';
import { completeUtf8Length, leadingContinuationBytes, OutputBuffer } from './output-buffer.ts';

describe('OutputBuffer', () => {
  it('keeps everything within the budget, decoded', () => {
    const buffer = new OutputBuffer({ maxBytes: 100 });
    buffer.push(Buffer.from('héllo '));
    buffer.push(Buffer.from('wörld'));
    expect(buffer.finish()).toEqual({ text: 'héllo wörld', truncated: false, totalBytes: 13, cut: null });
  });

  it('keeps the head and the latest tail, recording where and how much it cut', () => {
    const buffer = new OutputBuffer({ maxBytes: 10 });
    for (let index = 0; index < 100; index += 1) buffer.push(Buffer.from(String(index % 10)));
    const result = buffer.finish();
    expect(result).toEqual({
      text: '01234\n[… 90 bytes cut …]\n56789',
      truncated: true,
      totalBytes: 100,
      cut: { atByte: 5, droppedBytes: 90 },
    });
  });

  it('takes the tail from a single chunk larger than the whole budget', () => {
    const buffer = new OutputBuffer({ maxBytes: 8 });
    buffer.push(Buffer.from('abcdefghijklmnopqrstuvwxyz'));
    expect(buffer.finish().text).toBe('abcd\n[… 18 bytes cut …]\nwxyz');
  });

  it('wraps the ring correctly across many uneven chunks', () => {
    const buffer = new OutputBuffer({ maxBytes: 14 });
    const all = 'The quick brown fox jumps over the lazy dog';
    for (let start = 0; start < all.length; start += 3) buffer.push(Buffer.from(all.slice(start, start + 3)));
    expect(buffer.finish().text).toBe(
      `${all.slice(0, 7)}\n[… ${all.length - 14} bytes cut …]\n${all.slice(-7)}`,
    );
  });

  it('does not split a multi-byte character at either side of the cut', () => {
    const buffer = new OutputBuffer({ maxBytes: 6 });
    buffer.push(Buffer.from('aé€ooo€é'));
    const { text } = buffer.finish();
    expect(text).not.toContain('\uFFFD');
    expect(text.startsWith('aé\n')).toBe(true);
    expect(text.endsWith('\né')).toBe(true);
  });

  it('shows invalid UTF-8 and NUL safely', () => {
    const buffer = new OutputBuffer({ maxBytes: 100 });
    buffer.push(Buffer.from([0xff, 0xfe, 0x00, 0x6f, 0x6b]));
    expect(buffer.finish().text).toBe('\uFFFD\uFFFD␀ok');
  });

  it('streams the head live, decoding characters split across chunks, then says once that it stops', () => {
    const live: string[] = [];
    const buffer = new OutputBuffer({ maxBytes: 8, onText: (text) => live.push(text) });
    const euro = Buffer.from('€');
    buffer.push(euro.subarray(0, 1));
    buffer.push(euro.subarray(1));
    buffer.push(Buffer.from('abcdefgh'));
    buffer.push(Buffer.from('more'));
    expect(live[0]).toBe('€');
    expect(live.slice(1, -1).join('')).toBe('a');
    expect(live.at(-1)).toMatch(
      /^\n\[… more than 4 bytes of output: the live view stops here; the end is kept …\]\n$/,
    );
    expect(live).toHaveLength(3);
  });

  it('holds a bounded amount of memory however much passes through', () => {
    const buffer = new OutputBuffer({ maxBytes: 1024 });
    const chunk = Buffer.alloc(65_536, 'y');
    for (let index = 0; index < 200; index += 1) buffer.push(chunk);
    const result = buffer.finish();
    expect(result.totalBytes).toBe(200 * 65_536);
    expect(result.text.length).toBeLessThan(1100);
  });
});

describe('UTF-8 boundaries', () => {
  it('finds the end of the last whole character', () => {
    expect(completeUtf8Length(Buffer.from('a€'))).toBe(4);
    expect(completeUtf8Length(Buffer.from('a€').subarray(0, 3))).toBe(1);
    expect(completeUtf8Length(Buffer.from([0x61, 0xf0, 0x9f]))).toBe(1);
  });

  it('skips continuation bytes of a character cut at the start', () => {
    expect(leadingContinuationBytes(Buffer.from('€a').subarray(1))).toBe(2);
    expect(leadingContinuationBytes(Buffer.from('abc'))).toBe(0);
  });
});
