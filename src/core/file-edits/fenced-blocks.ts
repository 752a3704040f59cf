/**
 * Every closed fenced block of a text with its place in it. The fence rules are extractFencedCommands'
 * (src/core/extract-proposals.ts): three or more backticks or tildes open, the same character at least as
 * many times closes, the fence's indentation is taken off the body, and a block left open at the end is
 * skipped (a stream cut mid-block would otherwise act on half of it). Both parsers reading one text see the
 * same blocks, so a ```bash inside a ````write body is body, for both.
 */

export interface FencedBlock {
  /** The text after the fence characters, trimmed (`edit src/a.ts`). */
  info: string;
  /** The body's lines, indentation of the fence removed, without their line endings. */
  lines: string[];
  /** Offset of the opening fence line's first character in the text. */
  start: number;
  /** Offset just after the closing fence line (its line ending included when there is one). */
  end: number;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})([^`]*)$/;

/**
 * @example
 * fencedBlocks('Hi\n```edit a.txt\nx\n```\n')
 * // [{ info: 'edit a.txt', lines: ['x'], start: 3, end: 24, line: 2 }]
 */
export function fencedBlocks(text: string): FencedBlock[] {
  const lines = splitWithOffsets(text);
  const blocks: FencedBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const opening = lines[index]!;
    const match = OPENING_FENCE.exec(opening.text);
    index += 1;
    if (match === null) continue;
    const [, indent = '', fence = '', info = ''] = match;
    const closing = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const body: string[] = [];
    let end: number | null = null;
    while (index < lines.length) {
      const line = lines[index]!;
      index += 1;
      if (closing.test(line.text)) {
        end = line.end;
        break;
      }
      body.push(removeIndent(line.text, indent.length));
    }
    if (end === null) continue;
    blocks.push({ info: info.trim(), lines: body, start: opening.start, end, line: opening.number });
  }
  return blocks;
}

interface TextLine {
  text: string;
  start: number;
  /** After the line's ending. */
  end: number;
  number: number;
}

function splitWithOffsets(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const stop = newline === -1 ? text.length : newline;
    const raw = text.slice(start, stop);
    lines.push({
      text: raw.endsWith('\r') ? raw.slice(0, -1) : raw,
      start,
      end: newline === -1 ? stop : newline + 1,
      number,
    });
    if (newline === -1) break;
    start = newline + 1;
    number += 1;
  }
  return lines;
}

function removeIndent(line: string, width: number): string {
  let removed = 0;
  while (removed < width && (line[removed] === ' ' || line[removed] === '\t')) removed += 1;
  return line.slice(removed);
}
