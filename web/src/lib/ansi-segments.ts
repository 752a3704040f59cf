/**
 * Terminal output with ANSI colours, as segments of plain text and a style. ansi-to-html does the ANSI parsing
 * (escapeXML on); its output is read back into segments here instead of being injected as HTML, because its
 * `style="…"` attributes are refused by our CSP (`style-src 'self'`) while React's `style` prop is not, and
 * because text that never becomes markup cannot become markup by mistake.
 *
 * Nothing is hidden: text a program "conceals" (SGR 8, which ansi-to-html turns into `display:none`) is shown,
 * marked `concealed`, because model-run commands must not be able to hide output from the person (issue 7).
 */
import Convert from 'ansi-to-html';

export interface AnsiStyle {
  color?: string;
  backgroundColor?: string;
  fontWeight?: 'bold' | 'normal';
  fontStyle?: 'italic' | 'normal';
  textDecoration?: string;
  opacity?: number;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle | null;
  /** The program asked the terminal to hide this text (SGR 8); it is shown, dimmed and struck through. */
  concealed?: true;
}

/** What the page says over concealed text. */
export const CONCEALED_TITLE = 'Concealed by the program (ANSI SGR 8): a terminal would not show this text.';

/** How concealed text looks: visibly there, visibly different. */
const CONCEALED_STYLE: AnsiStyle = { opacity: 0.65, textDecoration: 'line-through' };

/** A palette readable on the terminal block's dark background (ansi-to-html's default is for white pages). */
const PALETTE = [
  '#4d4d4d',
  '#ff6b6b',
  '#5fd068',
  '#e5c07b',
  '#6cb6ff',
  '#d291e4',
  '#56c8d8',
  '#d0d0d0',
  '#7f7f7f',
  '#ff8f8f',
  '#8ae28f',
  '#f2d68f',
  '#95caff',
  '#e4b0f0',
  '#87e0eb',
  '#ffffff',
];

const DEFAULT_FG = '#d0d0d0';
const DEFAULT_BG = '#15181c';

const TAG = /<(\/?)(span|b|i|u|strike|blink)(?: style="([^"<>]*)")?>/g;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#x([0-9a-fA-F]{1,6})|#([0-9]{1,7}));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Operating-system commands (window titles, hyperlinks): not text, and ansi-to-html leaves them in. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and BEL frame these sequences.
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
/** C0 controls other than tab, newline and escape (which starts the colours ansi-to-html reads). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f]/g;

function decodeEntities(text: string): string {
  return text.replace(
    ENTITY,
    (_match, name: string | undefined, hex: string | undefined, decimal: string) => {
      if (name !== undefined) return NAMED[name] ?? '';
      const code = Number.parseInt(hex ?? decimal, hex === undefined ? 10 : 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    },
  );
}

const PROPERTIES: Record<string, (value: string, style: AnsiStyle) => void> = {
  color: (value, style) => {
    style.color = value;
  },
  'background-color': (value, style) => {
    style.backgroundColor = value;
  },
  'font-weight': (value, style) => {
    style.fontWeight = value === 'bold' ? 'bold' : 'normal';
  },
  'font-style': (value, style) => {
    style.fontStyle = value === 'italic' ? 'italic' : 'normal';
  },
  'text-decoration': (value, style) => {
    style.textDecoration = value;
  },
};

/** ansi-to-html's rendering of SGR 8 (conceal). */
const CONCEAL_DECLARATION = /(^|;)\s*display\s*:\s*none\s*(;|$)/;

const VALUE = /^(#[0-9a-fA-F]{3,8}|[a-z-]+)$/;

function styleOf(tag: string, declaration: string | undefined): AnsiStyle {
  switch (tag) {
    case 'b':
      return { fontWeight: 'bold' };
    case 'i':
      return { fontStyle: 'italic' };
    case 'u':
      return { textDecoration: 'underline' };
    case 'strike':
      return { textDecoration: 'line-through' };
    case 'blink':
      return {};
  }
  const style: AnsiStyle = {};
  for (const part of (declaration ?? '').split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const property = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    if (VALUE.test(value)) PROPERTIES[property]?.(value, style);
  }
  return style;
}

/**
 * What a terminal would show of carriage returns: a line rewritten with `\r` (progress bars) shows its last
 * version; colour codes before the line's last `\r` go with the text they coloured.
 */
function applyCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const last = line.replace(/\r+$/, '').lastIndexOf('\r');
      return last < 0 ? line.replace(/\r+$/, '') : line.slice(last + 1);
    })
    .join('\n');
}

/** Splits terminal output into segments of text, each with the style in force (`null`: none). */
export function ansiSegments(output: string): AnsiSegment[] {
  const cleaned = applyCarriageReturns(output.replace(OSC, '')).replace(CONTROL, '');
  const html = new Convert({
    escapeXML: true,
    newline: false,
    fg: DEFAULT_FG,
    bg: DEFAULT_BG,
    colors: PALETTE,
  }).toHtml(cleaned);
  const segments: AnsiSegment[] = [];
  const stack: { style: AnsiStyle; concealed: boolean }[] = [];
  let current: AnsiStyle | null = null;
  let concealed = false;
  const push = (encoded: string) => {
    if (encoded === '') return;
    const text = decodeEntities(encoded);
    if (concealed) segments.push({ text, style: { ...current, ...CONCEALED_STYLE }, concealed: true });
    else segments.push({ text, style: current });
  };
  let position = 0;
  for (const match of html.matchAll(TAG)) {
    push(html.slice(position, match.index));
    position = match.index + match[0].length;
    if (match[1] === '/') stack.pop();
    else
      stack.push({
        style: styleOf(match[2] ?? 'span', match[3]),
        concealed: CONCEAL_DECLARATION.test(match[3] ?? ''),
      });
    current = stack.length === 0 ? null : Object.assign({}, ...stack.map((entry) => entry.style));
    concealed = stack.some((entry) => entry.concealed);
  }
  push(html.slice(position));
  return segments;
}
