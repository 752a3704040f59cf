/**
 * Where an `old_text` that did not match was probably meant to go (issue 8, item 1: "the closest lines with
 * their numbers"). A model that gets back the lines it was aiming at, numbered, fixes its edit in one more
 * call; one that only hears "not found" tends to guess again or fall back to sed. Three hints, cheapest
 * first: the text matches once whitespace is ignored (indentation, tabs, a changed line break); it matches
 * once the line numbers read_file shows are taken out; else the window of lines most like it.
 */

/** 1-based, inclusive. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

export interface ClosestLines {
  range: LineRange;
  /** The file's lines in `range`, as they are (LF form, no line ending). */
  lines: string[];
  /** 0..1: mean likeness of the window's lines to the old text's lines. */
  similarity: number;
  /** The first line of the window that differs from the old text, with the old text's line beside it. */
  firstDifference: { line: number; fileLine: string; oldLine: string } | null;
}

export interface NotFoundHints {
  /** Where the old text matches when all whitespace is ignored. */
  whitespaceMatches: LineRange[];
  /** Where it matches once read_file's line-number prefixes are removed from it. */
  lineNumberMatches: LineRange[];
  closest: ClosestLines | null;
}

/** Below this a "closest" window is noise rather than help. */
const MIN_SIMILARITY = 0.4;
/** Bound on line comparisons for one block, so a huge file cannot stall the turn. */
const MAX_COMPARISONS = 200_000;
/** Windows scored in full after the cheap passes. */
const CANDIDATE_WINDOWS = 20;
/** `cat -n` style, as read_file shows lines (file-action-result-text.ts). */
const LINE_NUMBER_PREFIX = /^ *\d+\t/;

/** The 1-based line of each offset, from a sorted list of newline offsets. */
export class LineIndex {
  readonly #newlines: number[] = [];
  readonly lineCount: number;

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.#newlines.push(index);
    }
    this.lineCount = this.#newlines.length + 1;
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.#newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#newlines[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /** Lines touched by the span [start, end); an empty span or one ending on a newline stays on its line. */
  rangeOf(start: number, end: number): LineRange {
    const last = end > start ? end - 1 : start;
    return { startLine: this.lineOf(start), endLine: this.lineOf(last) };
  }
}

/** Every offset at which `needle` starts in `text`, overlapping occurrences included. */
export function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) {
    found.push(index);
  }
  return found;
}

/**
 * @example
 * notFoundHints('a\n  b\nc\n', 'b\nc', new LineIndex('a\n  b\nc\n')).whitespaceMatches
 * // [{ startLine: 2, endLine: 3 }]
 */
export function notFoundHints(text: string, oldText: string, index: LineIndex): NotFoundHints {
  return {
    whitespaceMatches: whitespaceInsensitiveMatches(text, oldText, index),
    lineNumberMatches: lineNumberMatches(text, oldText, index),
    closest: closestWindow(text, oldText),
  };
}

function whitespaceInsensitiveMatches(text: string, oldText: string, index: LineIndex): LineRange[] {
  const needle = oldText.replace(/\s+/g, '');
  if (needle === '') return [];
  // The offset in `text` of each non-whitespace character, so a match in the squeezed text maps back.
  const offsets = new Int32Array(text.length);
  const runs: string[] = [];
  let count = 0;
  for (const run of text.matchAll(/\S+/g)) {
    runs.push(run[0]);
    for (let k = 0; k < run[0].length; k += 1) offsets[count++] = run.index + k;
  }
  return occurrences(runs.join(''), needle).map((start) =>
    index.rangeOf(offsets[start]!, offsets[start + needle.length - 1]! + 1),
  );
}

function lineNumberMatches(text: string, oldText: string, index: LineIndex): LineRange[] {
  const lines = oldText.split('\n');
  const numbered = lines.filter((line) => line !== '');
  if (numbered.length === 0 || !numbered.every((line) => LINE_NUMBER_PREFIX.test(line))) return [];
  const stripped = lines.map((line) => line.replace(LINE_NUMBER_PREFIX, '')).join('\n');
  return occurrences(text, stripped).map((start) => index.rangeOf(start, start + stripped.length));
}

function closestWindow(text: string, oldText: string): ClosestLines | null {
  const fileLines = text.split('\n');
  const oldLines = oldText.replace(/\n$/, '').split('\n');
  const width = Math.min(oldLines.length, fileLines.length);
  const starts = fileLines.length - width + 1;
  const fileGrams = new Map<number, Uint32Array>();
  const gramsOfFileLine = (line: number) => {
    let grams = fileGrams.get(line);
    if (grams === undefined) {
      grams = bigrams(fileLines[line]!);
      fileGrams.set(line, grams);
    }
    return grams;
  };
  const oldGrams = oldLines.map(bigrams);
  const score = (start: number, offsets: readonly number[]) => {
    let total = 0;
    for (const offset of offsets) total += dice(gramsOfFileLine(start + offset), oldGrams[offset]!);
    return total / offsets.length;
  };
  const candidates = new Set([
    ...windowsSharingLines(fileLines, oldLines, starts),
    ...roughlyClosestWindows(starts, width, score),
  ]);
  const allOffsets = Array.from({ length: width }, (_, i) => i);
  let best = { start: 0, score: -1 };
  for (const start of candidates) {
    const full = score(start, allOffsets);
    if (full > best.score || (full === best.score && start < best.start)) best = { start, score: full };
  }
  if (best.score < MIN_SIMILARITY) return null;
  const lines = fileLines.slice(best.start, best.start + width);
  const differing = lines.findIndex((line, i) => line !== oldLines[i]);
  return {
    range: { startLine: best.start + 1, endLine: best.start + width },
    lines,
    similarity: best.score,
    firstDifference:
      differing === -1
        ? null
        : {
            line: best.start + differing + 1,
            fileLine: lines[differing]!,
            oldLine: oldLines[differing] ?? '',
          },
  };
}

/** The starts of the windows holding most of the old text's lines unchanged (spacing aside). */
function windowsSharingLines(
  fileLines: readonly string[],
  oldLines: readonly string[],
  starts: number,
): number[] {
  const positions = new Map<string, number[]>();
  oldLines.forEach((line, offset) => {
    const key = line.replace(/\s+/g, '');
    if (key === '') return;
    positions.set(key, [...(positions.get(key) ?? []), offset]);
  });
  const shared = new Map<number, number>();
  fileLines.forEach((line, lineIndex) => {
    for (const offset of positions.get(line.replace(/\s+/g, '')) ?? []) {
      const start = lineIndex - offset;
      if (start >= 0 && start < starts) shared.set(start, (shared.get(start) ?? 0) + 1);
    }
  });
  return [...shared]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, CANDIDATE_WINDOWS)
    .map(([start]) => start);
}

/**
 * The best windows by likeness of a sample of the old text's lines: finds a window where every line was
 * changed a little, which sharing whole lines cannot. The sample keeps a large file's cost bounded.
 */
function roughlyClosestWindows(
  starts: number,
  width: number,
  score: (start: number, offsets: readonly number[]) => number,
): number[] {
  const sampleCount = Math.max(1, Math.min(width, Math.floor(MAX_COMPARISONS / starts)));
  const sampled = Array.from({ length: sampleCount }, (_, i) => Math.floor((i * width) / sampleCount));
  const scored: Array<[number, number]> = [];
  for (let start = 0; start < starts; start += 1) scored.push([start, score(start, sampled)]);
  return scored
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, CANDIDATE_WINDOWS)
    .map(([start]) => start);
}

/**
 * Character pairs of the line without its whitespace, as sorted codes (a Dice coefficient's input): a line
 * that differs only in spacing scores as the same line, so the window the whitespace hint names is shown.
 * Sorted integers rather than a map keep a large file's comparisons within a fraction of a second.
 */
function bigrams(line: string): Uint32Array {
  const squeezed = line.replace(/\s+/g, '');
  if (squeezed.length === 1) return Uint32Array.of(squeezed.charCodeAt(0));
  const grams = new Uint32Array(Math.max(0, squeezed.length - 1));
  for (let i = 0; i + 1 < squeezed.length; i += 1) {
    grams[i] = ((squeezed.charCodeAt(i) << 16) | squeezed.charCodeAt(i + 1)) >>> 0;
  }
  return grams.sort();
}

function dice(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return (2 * shared) / (a.length + b.length);
}
