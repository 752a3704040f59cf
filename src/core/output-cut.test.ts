import { describe, expect, it } from 'vitest';
import { cutOutput } from './output-cut.ts';

function numberedLines(count: number): string {
  return Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n');
}

describe('cutOutput', () => {
  it('leaves text within the limit alone', () => {
    expect(cutOutput('a\nb\n', { maxChars: 4 })).toEqual({ text: 'a\nb\n', linesCut: 0, charsCut: 0 });
  });

  it('keeps whole head and tail lines around one marker and stays within the limit', () => {
    const text = numberedLines(1000);
    const result = cutOutput(text, { maxChars: 200 });
    expect(result.text.length).toBeLessThanOrEqual(200);
    const lines = result.text.split('\n');
    const markerIndex = lines.findIndex((line) => line.startsWith('[…'));
    const head = lines.slice(0, markerIndex);
    const tail = lines.slice(markerIndex + 1);
    expect(head[0]).toBe('line 1');
    expect(tail.at(-1)).toBe('line 1000');
    // Every kept line is whole, and the marker counts exactly the lines that are gone.
    for (const line of [...head, ...tail]) expect(line).toMatch(/^line \d+$/);
    expect(lines[markerIndex]).toBe(`[… ${1000 - head.length - tail.length} lines cut …]`);
    expect(result.linesCut).toBe(1000 - head.length - tail.length);
    expect(Number(tail[0]!.slice(5))).toBe(Number(head.at(-1)!.slice(5)) + result.linesCut + 1);
  });

  it('cuts inside a single huge line and counts it as one line', () => {
    const result = cutOutput('x'.repeat(10_000), { maxChars: 100 });
    expect(result.text).toMatch(/^x+\n\[… 1 line cut …\]\nx+$/);
    expect(result.text.length).toBeLessThanOrEqual(100);
    expect(result.charsCut).toBe(10_000 - (result.text.length - '\n[… 1 line cut …]\n'.length));
  });

  it('gives the head a configurable share', () => {
    const result = cutOutput(numberedLines(1000), { maxChars: 1000, headShare: 0.1 });
    const markerIndex = result.text.indexOf('[…');
    expect(markerIndex).toBeLessThan(100);
    expect(result.text.length - markerIndex).toBeGreaterThan(800);
  });

  it('still produces a marker when the limit leaves no room for text', () => {
    expect(cutOutput('\nabc\ndef\n', { maxChars: 5 }).text).toBe('[… 3 lines cut …]');
  });
});
