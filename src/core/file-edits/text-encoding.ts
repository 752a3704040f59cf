/**
 * What a file's bytes are as text (issue 8, item 1): an edit keeps the file's encoding and line endings, so
 * before anything is matched we learn whether the bytes are UTF-8 text at all, whether they start with a
 * byte-order mark, and which line ending the file uses. Edits are only made to UTF-8 text: re-encoding
 * Latin-1 or UTF-16 through a JavaScript string would change bytes nobody asked to change.
 */

export type LineEnding = 'lf' | 'crlf';

export interface DecodedText {
  /** The text as in the file, byte-order mark removed, line endings untouched. */
  text: string;
  bom: boolean;
  /** The dominant ending: CRLF when more lines end in CRLF than in a bare LF (a tie keeps LF). */
  lineEnding: LineEnding;
}

export type NotTextReason = 'binary' | 'utf16' | 'not_utf8';

export type DecodeOutcome = { ok: true; decoded: DecodedText } | { ok: false; reason: NotTextReason };

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** Git's rule for "binary": a NUL byte among the first 8000. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * @example
 * decodeText(new TextEncoder().encode('a\r\nb\r\n'))
 * // { ok: true, decoded: { text: 'a\r\nb\r\n', bom: false, lineEnding: 'crlf' } }
 * decodeText(Uint8Array.of(0xff, 0xfe, 0x61, 0x00))  // { ok: false, reason: 'utf16' }
 */
export function decodeText(bytes: Uint8Array): DecodeOutcome {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    return { ok: false, reason: 'utf16' };
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary' };
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the string, so we can see it and write it back.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
  const bom = hasUtf8Bom(bytes);
  if (bom) text = text.slice(1);
  return { ok: true, decoded: { text, bom, lineEnding: dominantLineEnding(text) } };
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, index) => bytes[index] === byte);
}

/** CRLF when more lines end in CRLF than in a bare LF; LF otherwise (also for a file with no line break). */
export function dominantLineEnding(text: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index > 0 && text[index - 1] === '\r') crlf += 1;
    else lf += 1;
  }
  return crlf > lf ? 'crlf' : 'lf';
}

/** Every CRLF as LF: the form edits from a model are written in and matched against. */
export function toLf(text: string): string {
  return text.replaceAll('\r\n', '\n');
}

/** LF text in the given ending (text already holding CRLF is left as it is, never doubled). */
export function withLineEnding(text: string, lineEnding: LineEnding): string {
  const lf = toLf(text);
  return lineEnding === 'crlf' ? lf.replaceAll('\n', '\r\n') : lf;
}

/** The bytes of `text` as UTF-8, with a BOM when asked. */
export function encodeText(text: string, bom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const bytes = new Uint8Array(body.length + UTF8_BOM.length);
  bytes.set(UTF8_BOM, 0);
  bytes.set(body, UTF8_BOM.length);
  return bytes;
}

/**
 * Maps offsets in the LF form of a text (toLf) back to the text as it is, so that an edit matched on the LF
 * form replaces exactly the original span and every byte around it stays as it was, in files with mixed
 * endings too.
 */
export class LfOffsetMap {
  /** Offsets, in the LF form, of each `\n` that was a `\r\n`; ascending. */
  readonly #crlfNewlines: number[] = [];

  constructor(original: string) {
    let removed = 0;
    for (let index = original.indexOf('\r\n'); index !== -1; index = original.indexOf('\r\n', index + 2)) {
      this.#crlfNewlines.push(index - removed);
      removed += 1;
    }
  }

  /** The offset in the original of LF-form offset `offset` (a start or an exclusive end). */
  toOriginal(offset: number): number {
    let low = 0;
    let high = this.#crlfNewlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#crlfNewlines[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return offset + low;
  }
}

/**
 * The lines of an LF text as an editor counts them: a final line break ends the last line rather than
 * starting an empty one, and an empty text has no lines.
 *
 * @example
 * textLines('a\nb\n')  // ['a', 'b']
 */
export function textLines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}
