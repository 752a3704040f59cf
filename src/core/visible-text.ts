/**
 * Characters that change what a person reads without being seen: control characters, bidirectional overrides
 * and isolates (a right-to-left override makes `ls #⁮ fr- mr⁬` read as something else, "Trojan Source"),
 * zero-width and other invisible format characters, and Unicode tag characters (which can smuggle a whole
 * hidden ASCII text). A proposed command is shown with each of them replaced by a visible mark, while the text
 * that runs stays exactly as it is (DESIGN.md, security model: show what a terminal could hide).
 */

/** A stretch of ordinary text, or one character made visible. */
export type VisiblePart =
  | { kind: 'text'; text: string }
  | { kind: 'hidden'; character: string; codePoint: string; name: string; label: string };

export interface VisibleText {
  parts: VisiblePart[];
  /** How many characters were marked. */
  hiddenCount: number;
}

const NAMES = new Map<number, string>([
  [0x00, 'NULL'],
  [0x07, 'BELL'],
  [0x08, 'BACKSPACE'],
  [0x0b, 'LINE TABULATION'],
  [0x0c, 'FORM FEED'],
  [0x0d, 'CARRIAGE RETURN'],
  [0x1b, 'ESCAPE'],
  [0x7f, 'DELETE'],
  [0xad, 'SOFT HYPHEN'],
  [0x034f, 'COMBINING GRAPHEME JOINER'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x115f, 'HANGUL CHOSEONG FILLER'],
  [0x1160, 'HANGUL JUNGSEONG FILLER'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 'INVISIBLE TIMES'],
  [0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 'INVISIBLE PLUS'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0x3164, 'HANGUL FILLER'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE (BOM)'],
  [0xffa0, 'HALFWIDTH HANGUL FILLER'],
]);

/**
 * C0 controls but tab and newline (a command may span lines), DEL and C1 controls; the bidirectional marks,
 * embeddings, overrides and isolates; zero-width and invisible format characters; interlinear annotation
 * marks; the tag block.
 */
const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\u034f|[\u{e0000}-\u{e007f}]/gu;

function nameOf(codePoint: number): string {
  const known = NAMES.get(codePoint);
  if (known !== undefined) return known;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return 'control character';
  if (codePoint >= 0xe0000) return 'tag character';
  return 'invisible format character';
}

/**
 * Splits text into ordinary stretches and marked characters.
 *
 * @example
 * visibleText('ls \u202Efdp.exe')
 * // { hiddenCount: 1, parts: [{ kind: 'text', text: 'ls ' }, { kind: 'hidden', codePoint: 'U+202E', label: '⟨U+202E⟩', … }, { kind: 'text', text: 'fdp.exe' }] }
 */
export function visibleText(text: string): VisibleText {
  const parts: VisiblePart[] = [];
  let hiddenCount = 0;
  let position = 0;
  for (const match of text.matchAll(HIDDEN)) {
    if (match.index > position) parts.push({ kind: 'text', text: text.slice(position, match.index) });
    const character = match[0];
    const value = character.codePointAt(0) ?? 0;
    const codePoint = `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
    parts.push({ kind: 'hidden', character, codePoint, name: nameOf(value), label: `⟨${codePoint}⟩` });
    hiddenCount += 1;
    position = match.index + character.length;
  }
  if (position < text.length) parts.push({ kind: 'text', text: text.slice(position) });
  return { parts, hiddenCount };
}

/**
 * The warning a card shows above a command with marked characters; null when there are none.
 *
 * @example hiddenCharactersWarning(2) // 'This command contains 2 invisible or direction-changing characters, marked ⟨U+…⟩ below; they run as they are.'
 */
export function hiddenCharactersWarning(count: number): string | null {
  if (count === 0) return null;
  const noun = count === 1 ? 'character' : 'characters';
  return `This command contains ${count} invisible or direction-changing ${noun}, marked ⟨U+…⟩ below; ${count === 1 ? 'it runs' : 'they run'} as ${count === 1 ? 'it is' : 'they are'}.`;
}
