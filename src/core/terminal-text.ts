/**
 * Terminal output as text: made safe to store and show (binary bytes arrive here already decoded with
 * U+FFFD for invalid UTF-8), and flattened for the model (no ANSI escapes, progress lines resolved).
 * Browser-safe on purpose: the UI may use the same functions.
 */
import stripAnsi from 'strip-ansi';
import { type CutOutput, cutOutput } from './output-cut.ts';

// C0 controls a terminal would act on invisibly or that break text storage (NUL); tab, newline, carriage
// return, backspace, bell and escape stay because ANSI rendering and progress bars need them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_CONTROLS = /[\x00-\x06\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/**
 * Replaces control characters that cannot be shown with their Unicode control pictures (NUL → ␀).
 *
 * @example
 * safeTerminalText('a\x00b')  // 'a␀b'
 */
export function safeTerminalText(text: string): string {
  return text.replace(UNSAFE_CONTROLS, (character) => {
    const code = character.charCodeAt(0);
    return code === 0x7f ? '\u2421' : String.fromCharCode(0x2400 + code);
  });
}

/**
 * Applies carriage returns the way a terminal shows them: text after a `\r` overwrites the line from its
 * start, so a progress bar that redrew itself 500 times reads as its last state.
 */
export function resolveCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      const withoutLineEnd = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!withoutLineEnd.includes('\r')) return withoutLineEnd;
      let shown = '';
      for (const segment of withoutLineEnd.split('\r')) shown = segment + shown.slice(segment.length);
      return shown;
    })
    .join('\n');
}

/** What the model reads of a command's output: no escapes, redrawn lines resolved, cut to `maxChars`. */
export function terminalTextForModel(output: string, options: { maxChars: number }): CutOutput {
  return cutOutput(resolveCarriageReturns(stripAnsi(output)), { maxChars: options.maxChars });
}
