import { describe, expect, it } from 'vitest';
import { resolveCarriageReturns, safeTerminalText, terminalTextForModel } from './terminal-text.ts';

describe('safeTerminalText', () => {
  it('shows NUL and other invisible controls as control pictures, keeping what terminals use', () => {
    expect(safeTerminalText('a\x00b\x01c\x7fd')).toBe('a␀b␁c␡d');
    expect(safeTerminalText('tab\tnl\ncr\rbs\bbell\x07\x1b[31mred')).toBe(
      'tab\tnl\ncr\rbs\bbell\x07\x1b[31mred',
    );
  });
});

describe('resolveCarriageReturns', () => {
  it('keeps what a terminal would show after redraws', () => {
    expect(resolveCarriageReturns('10%\r20%\r100%\ndone')).toBe('100%\ndone');
    expect(resolveCarriageReturns('abcdef\rXY')).toBe('XYcdef');
    expect(resolveCarriageReturns('windows\r\nline\r\n')).toBe('windows\nline\n');
  });
});

describe('terminalTextForModel', () => {
  it('strips colours, resolves redraws and cuts', () => {
    const coloured = '\x1b[1;32mPASS\x1b[0m test\n\x1b]8;;http://x\x07link\x1b]8;;\x07\n';
    expect(terminalTextForModel(coloured, { maxChars: 1000 }).text).toBe('PASS test\nlink\n');
    const long = `${'step\r'.repeat(1000)}finished\n${'x\n'.repeat(1000)}`;
    const result = terminalTextForModel(long, { maxChars: 100 });
    expect(result.text.startsWith('finished\nx\n')).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(100);
  });
});
