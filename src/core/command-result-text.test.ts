import { describe, expect, it } from 'vitest';
import { commandResultText } from './command-result-text.ts';

const result = {
  output: '\u001b[32mgreen\u001b[0m\nline\n',
  status: 'completed' as const,
  exitCode: 0,
  durationMs: 12,
  shellRestarted: false,
};

describe('commandResultText', () => {
  it('shows the command, the output without ANSI, and the exit code for the terminal', () => {
    expect(commandResultText({ command: 'ls', result, asToolResult: false, maxChars: 1000 })).toBe(
      '$ ls\ngreen\nline\n[exit code 0]',
    );
  });

  it('leaves the command out of a tool result, which answers a call that names it', () => {
    expect(commandResultText({ command: 'ls', result, asToolResult: true, maxChars: 1000 })).toBe(
      'green\nline\n[exit code 0]',
    );
  });

  it('says when a command timed out, was interrupted, or lost the shell state', () => {
    const timedOut = {
      ...result,
      output: '',
      status: 'timed-out' as const,
      exitCode: null,
      durationMs: 60_400,
    };
    expect(
      commandResultText({ command: 'sleep 99', result: timedOut, asToolResult: true, maxChars: 100 }),
    ).toBe('[timed out after 60 s; the command was killed]');
    const interrupted = { ...result, status: 'interrupted' as const, shellRestarted: true };
    expect(
      commandResultText({ command: 'x', result: interrupted, asToolResult: true, maxChars: 100 }),
    ).toMatch(
      /\[interrupted by the user\]\n\[the shell was restarted: variables from earlier commands are gone\]$/,
    );
  });

  it('cuts a long output to head and tail', () => {
    const long = { ...result, output: Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') };
    const text = commandResultText({ command: 'seq', result: long, asToolResult: true, maxChars: 500 });
    expect(text.length).toBeLessThan(600);
    expect(text).toMatch(/line 0\n/);
    expect(text).toMatch(/\[… \d+ lines cut …\]/);
    expect(text).toMatch(/line 1999\n\[exit code 0\]$/);
  });

  it('tells the model when a person edited its command, and shows what ran instead', () => {
    expect(
      commandResultText({ command: 'ls -a', proposed: 'ls', result, asToolResult: true, maxChars: 1000 }),
    ).toBe(
      'The person edited your command before running it; what ran was:\n```\nls -a\n```\ngreen\nline\n[exit code 0]',
    );
    expect(
      commandResultText({ command: 'ls -a', proposed: 'ls', result, asToolResult: false, maxChars: 1000 }),
    ).toBe(
      'The person edited your command before running it; what ran was:\n$ ls -a\ngreen\nline\n[exit code 0]',
    );
    expect(
      commandResultText({ command: 'ls', proposed: 'ls', result, asToolResult: true, maxChars: 1000 }),
    ).toBe('green\nline\n[exit code 0]');
  });

  it('fences an edited command with more backticks than it holds, so it cannot end the block early', () => {
    const text = commandResultText({
      command: 'echo ```done```',
      proposed: 'echo hi',
      result,
      asToolResult: true,
      maxChars: 1000,
    });
    expect(text).toContain('\n````\necho ```done```\n````\n');
  });

  it('says a command cancelled in the queue never ran', () => {
    expect(
      commandResultText({ command: 'x', result: { status: 'cancelled' }, asToolResult: true, maxChars: 100 }),
    ).toBe('[cancelled by the user before it started; it did not run]');
    expect(
      commandResultText({
        command: 'x',
        result: { status: 'cancelled' },
        asToolResult: false,
        maxChars: 100,
      }),
    ).toBe('$ x\n[cancelled by the user before it started; it did not run]');
  });
});
