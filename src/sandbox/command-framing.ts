/**
 * How commands travel to a persistent bash and how their end is recognised in its output.
 *
 * The shell reads control lines on stdin. Each command goes inside one single-quoted `eval` argument, so
 * no command text (an unclosed quote, a here-document, `exit`) can swallow the lines that follow; it runs
 * with stdin from /dev/null (a command that reads gets end-of-file) and stdout and stderr both on the
 * output pipe, in the order written. After it, the shell prints an end marker on the same pipe: a token of
 * 128 random bits fresh for every command, the exit status and the working directory, closed by a NUL
 * (which no path can hold). A command cannot print the marker by accident, and the token never appears
 * whole in the control line, so even `set -x` tracing to the output cannot forge it.
 */
import { randomBytes } from 'node:crypto';

/** The fd the shell keeps its output pipe on, so a command's `exec >file` cannot lose the markers. */
const OUTPUT_FD = 63;

export function newMarkerToken(): string {
  return `\x1eMP-END-${randomBytes(16).toString('hex')}\x1e`;
}

function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Prints `<token><number> <PWD>\0` where the number is the given shell expression's value. */
function markerStatement(token: string, numberExpression: string): string {
  const middle = Math.floor(token.length / 2);
  const halves = `${singleQuoted(token.slice(0, middle))} ${singleQuoted(token.slice(middle))}`;
  return `builtin printf '%s%s%d %s\\0' ${halves} "${numberExpression}" "$PWD" >&${OUTPUT_FD}`;
}

/**
 * The first input of a new shell: keep the output pipe on a private fd, let aliases work as in a
 * terminal, and report the shell's own pid (as the sandbox numbers it) through a marker.
 */
export function preamble(token: string): string {
  return `exec ${OUTPUT_FD}>&1\nshopt -s expand_aliases\n${markerStatement(token, '$$')}\n`;
}

/** One command as a control line (ends with a newline; may span lines inside its quoted argument). */
export function controlLine(command: string, token: string): string {
  const redirections = `</dev/null >&${OUTPUT_FD} 2>&${OUTPUT_FD} ${OUTPUT_FD}>&-`;
  // Redirections on `eval` itself rather than on a `{ …; }` group: after a syntax error inside eval,
  // bash 5.2 stops recognising `{` as a reserved word on the next line it reads and exits.
  return `builtin eval -- ${singleQuoted(command)} ${redirections}; ${markerStatement(token, '$?')}\n`;
}

export interface MarkerEnd {
  /** The exit status, or the shell's pid for the preamble's marker. */
  value: number;
  cwd: string;
}

export type ScanResult =
  /** Bytes that belong to the command, possibly empty. */
  | { kind: 'output'; output: Buffer }
  /** The command ended: `output` is its last bytes, `rest` whatever followed the marker. */
  | { kind: 'end'; output: Buffer; end: MarkerEnd; rest: Buffer };

/**
 * Finds one command's end marker in the output stream. Bytes that could be the start of the token are
 * held back until the next chunk decides; everything else passes through at once, so live output is not
 * delayed.
 */
export class MarkerScanner {
  readonly #token: Buffer;
  #held: Buffer = Buffer.alloc(0);
  /** Bytes after the token, before the NUL that ends the marker. */
  #marker: Buffer[] | null = null;

  constructor(token: string) {
    this.#token = Buffer.from(token, 'latin1');
  }

  push(chunk: Buffer): ScanResult {
    if (this.#marker !== null) return this.#readMarker(Buffer.alloc(0), chunk);
    const data = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
    const found = data.indexOf(this.#token);
    if (found !== -1) {
      this.#held = Buffer.alloc(0);
      this.#marker = [];
      return this.#readMarker(data.subarray(0, found), data.subarray(found + this.#token.length));
    }
    const keep = this.#possibleTokenStart(data);
    this.#held = Buffer.from(data.subarray(data.length - keep));
    return { kind: 'output', output: data.subarray(0, data.length - keep) };
  }

  #readMarker(output: Buffer, data: Buffer): ScanResult {
    const nul = data.indexOf(0);
    if (nul === -1) {
      this.#marker!.push(Buffer.from(data));
      return { kind: 'output', output };
    }
    const text = Buffer.concat([...this.#marker!, data.subarray(0, nul)]).toString('utf8');
    this.#marker = null;
    const space = text.indexOf(' ');
    const value = Number(text.slice(0, space));
    return { kind: 'end', output, end: { value, cwd: text.slice(space + 1) }, rest: data.subarray(nul + 1) };
  }

  /** Length of the longest suffix of `data` that is a proper prefix of the token. */
  #possibleTokenStart(data: Buffer): number {
    const first = this.#token[0]!;
    const from = Math.max(0, data.length - (this.#token.length - 1));
    for (let index = data.indexOf(first, from); index !== -1; index = data.indexOf(first, index + 1)) {
      if (data.subarray(index).equals(this.#token.subarray(0, data.length - index)))
        return data.length - index;
    }
    return 0;
  }

  /** Bytes held back as a possible token start, once the stream has ended without the marker. */
  flush(): Buffer {
    const held = this.#held;
    this.#held = Buffer.alloc(0);
    return held;
  }
}
