/**
 * The original app's phrases for trimming a message by hand (issue 8 item 7): what was cut is said in the
 * text, so the model (and a dataset reader) knows something was there. Each replaces the selected text, or
 * goes in at the cursor when nothing is selected.
 */
export interface CannedPhrase {
  label: string;
  /** The text for a selection of `lines` lines. */
  text: (lines: number) => string;
}

export const CANNED_PHRASES: readonly CannedPhrase[] = [
  { label: '[output cut]', text: () => '[output cut]' },
  { label: '[… N lines removed …]', text: (lines) => `[… ${lines} line${lines === 1 ? '' : 's'} removed …]` },
  { label: '[irrelevant output removed]', text: () => '[irrelevant output removed]' },
];

/**
 * `value` with the selection `[start, end)` replaced by the phrase, and where the cursor goes after it.
 *
 * @example
 * insertPhrase('a\nb\nc\nd', 2, 5, CANNED_PHRASES[1]!) // { value: 'a\n[… 2 lines removed …]\nd', cursor: 23 }
 */
export function insertPhrase(
  value: string,
  start: number,
  end: number,
  phrase: CannedPhrase,
): { value: string; cursor: number } {
  const selected = value.slice(start, end);
  const lines = selected === '' ? 0 : selected.replace(/\n$/, '').split('\n').length;
  const keepNewline = selected.endsWith('\n') ? '\n' : '';
  const text = phrase.text(lines) + keepNewline;
  return { value: value.slice(0, start) + text + value.slice(end), cursor: start + text.length };
}
