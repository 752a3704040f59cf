import { describe, expect, it } from 'vitest';
import { controlLine, MarkerScanner, newMarkerToken, preamble } from './command-framing.ts';

function marker(token: string, value: number, cwd: string): Buffer {
  return Buffer.concat([Buffer.from(`${token}${value} ${cwd}`, 'utf8'), Buffer.from([0])]);
}

describe('newMarkerToken', () => {
  it('is fresh every time', () => {
    expect(newMarkerToken()).not.toBe(newMarkerToken());
    const token = newMarkerToken();
    expect(token.startsWith('\x1eMP-END-') && token.endsWith('\x1e')).toBe(true);
    expect(token.slice(8, -1)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('controlLine', () => {
  it('quotes the command so nothing in it ends the eval argument, and never spells out the token', () => {
    const token = newMarkerToken();
    const line = controlLine("echo 'it''s'\nexit", token);
    expect(line).toContain(`builtin eval -- 'echo '\\''it'\\'''\\''s'\\''\nexit'`);
    expect(line).toContain('</dev/null');
    expect(line).not.toContain(token);
    expect(line.endsWith('\n')).toBe(true);
    expect(preamble(token)).not.toContain(token);
  });
});

describe('MarkerScanner', () => {
  it('passes output through and finds the end marker with status and cwd', () => {
    const token = newMarkerToken();
    const scanner = new MarkerScanner(token);
    expect(scanner.push(Buffer.from('hello\n'))).toEqual({ kind: 'output', output: Buffer.from('hello\n') });
    const result = scanner.push(
      Buffer.concat([Buffer.from('bye'), marker(token, 3, '/a dir/with\nnewline'), Buffer.from('late')]),
    );
    expect(result).toEqual({
      kind: 'end',
      output: Buffer.from('bye'),
      end: { value: 3, cwd: '/a dir/with\nnewline' },
      rest: Buffer.from('late'),
    });
  });

  it('finds a marker split at every possible point across two chunks', () => {
    const token = newMarkerToken();
    const whole = Buffer.concat([Buffer.from('out'), marker(token, 0, '/w')]);
    for (let split = 1; split < whole.length; split += 1) {
      const scanner = new MarkerScanner(token);
      const first = scanner.push(whole.subarray(0, split));
      const second = scanner.push(whole.subarray(split));
      expect(second.kind).toBe('end');
      if (second.kind !== 'end') return;
      expect(Buffer.concat([first.output, second.output]).toString()).toBe('out');
      expect(second.end).toEqual({ value: 0, cwd: '/w' });
    }
  });

  it('holds back only bytes that could start the token, and releases them when they do not', () => {
    const token = newMarkerToken();
    const scanner = new MarkerScanner(token);
    const lookalike = `${token.slice(0, 12)}`;
    expect(scanner.push(Buffer.from(`text${lookalike}`)).output.toString()).toBe('text');
    expect(scanner.push(Buffer.from('x')).output.toString()).toBe(`${lookalike}x`);
    expect(scanner.push(Buffer.from(`a${token.slice(0, 5)}`)).output.toString()).toBe('a');
    expect(scanner.flush().toString()).toBe(token.slice(0, 5));
  });

  it('treats a marker with another token as ordinary output', () => {
    const scanner = new MarkerScanner(newMarkerToken());
    const forged = marker(newMarkerToken(), 0, '/forged');
    const result = scanner.push(forged);
    expect(result.kind).toBe('output');
    expect(Buffer.concat([result.output, scanner.flush()])).toEqual(forged);
  });
});
