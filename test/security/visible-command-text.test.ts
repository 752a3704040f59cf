/**
 * Threat: a proposed command that reads differently from what runs. Control characters, bidirectional
 * overrides/isolates, zero-width characters and tag characters are invisible or reorder text on screen; the
 * card must mark every one of them, and the text that runs must stay exactly what was proposed.
 */
import { describe, expect, it } from 'vitest';
import { hiddenCharactersWarning, visibleText } from '../../src/core/visible-text.ts';

const HIDDEN: [string, string][] = [
  ['\u0000', 'NULL'],
  ['\u0007', 'BELL'],
  ['\u0008', 'BACKSPACE'],
  ['\r', 'CARRIAGE RETURN'],
  ['\u001b', 'ESCAPE'],
  ['\u007f', 'DELETE'],
  ['\u0085', 'control character'],
  ['\u009b', 'control character'],
  ['\u00ad', 'SOFT HYPHEN'],
  ['\u061c', 'ARABIC LETTER MARK'],
  ['\u200b', 'ZERO WIDTH SPACE'],
  ['\u200c', 'ZERO WIDTH NON-JOINER'],
  ['\u200d', 'ZERO WIDTH JOINER'],
  ['\u200e', 'LEFT-TO-RIGHT MARK'],
  ['\u200f', 'RIGHT-TO-LEFT MARK'],
  ['\u2028', 'LINE SEPARATOR'],
  ['\u202a', 'LEFT-TO-RIGHT EMBEDDING'],
  ['\u202b', 'RIGHT-TO-LEFT EMBEDDING'],
  ['\u202c', 'POP DIRECTIONAL FORMATTING'],
  ['\u202d', 'LEFT-TO-RIGHT OVERRIDE'],
  ['\u202e', 'RIGHT-TO-LEFT OVERRIDE'],
  ['\u2060', 'WORD JOINER'],
  ['\u2063', 'INVISIBLE SEPARATOR'],
  ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
  ['\u2067', 'RIGHT-TO-LEFT ISOLATE'],
  ['\u2068', 'FIRST STRONG ISOLATE'],
  ['\u2069', 'POP DIRECTIONAL ISOLATE'],
  ['\u3164', 'HANGUL FILLER'],
  ['\ufeff', 'ZERO WIDTH NO-BREAK SPACE (BOM)'],
  ['\u{e0041}', 'tag character'],
];

describe('a proposed command with characters a person cannot see', () => {
  for (const [character, name] of HIDDEN) {
    const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    it(`marks ${codePoint} (${name})`, () => {
      const command = `ls ${character}-la`;
      const shown = visibleText(command);
      expect(shown.hiddenCount).toBe(1);
      expect(shown.parts).toEqual([
        { kind: 'text', text: 'ls ' },
        { kind: 'hidden', character, codePoint, name, label: `⟨${codePoint}⟩` },
        { kind: 'text', text: '-la' },
      ]);
    });
  }

  it('keeps the exact text to run: the parts join back to the command, character for character', () => {
    const command = `echo safe #\u202e\u2066 ;rm -rf ~\u2069\u202c\u200b\u{e0072}\u{e006d}\necho two\tcolumns`;
    const shown = visibleText(command);
    const joined = shown.parts.map((part) => (part.kind === 'text' ? part.text : part.character)).join('');
    expect(joined).toBe(command);
    expect(shown.hiddenCount).toBe(7);
    // What is displayed holds none of the hidden characters, only their marks.
    const displayed = shown.parts.map((part) => (part.kind === 'text' ? part.text : part.label)).join('');
    expect(visibleText(displayed).hiddenCount).toBe(0);
    expect(displayed).toContain('⟨U+202E⟩⟨U+2066⟩');
  });

  it('leaves ordinary commands, tabs, newlines and non-Latin text alone', () => {
    for (const command of ['ls -la', 'printf "a\\tb"\necho ok', 'echo \tdone', 'echo héllo 你好 שלום 😀']) {
      expect(visibleText(command)).toEqual({ parts: [{ kind: 'text', text: command }], hiddenCount: 0 });
    }
  });

  it('says how many it found', () => {
    expect(hiddenCharactersWarning(0)).toBeNull();
    expect(hiddenCharactersWarning(1)).toMatch(
      /^This command contains 1 invisible or direction-changing character,/,
    );
    expect(hiddenCharactersWarning(3)).toMatch(/contains 3 invisible or direction-changing characters/);
  });
});
