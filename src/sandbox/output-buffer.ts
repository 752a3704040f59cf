/**
 * Keeps a command's output within a fixed memory bound however much it prints: the first half of the
 * budget as it came, then a ring buffer holding the latest bytes. `yes | head -c 200M` streams through in
 * constant memory and leaves the start, the end, and a record of what was dropped in between.
 */
import type { OutputCut } from '../core/shell-session.ts';
import { safeTerminalText } from '../core/terminal-text.ts';

export interface OutputBufferOptions {
  /** Bytes kept in total (head plus tail). */
  maxBytes: number;
  /** Live text of the head part as it arrives; one notice when the live view stops. */
  onText?: ((text: string) => void) | undefined;
}

export interface BufferedOutput {
  text: string;
  truncated: boolean;
  totalBytes: number;
  cut: OutputCut | null;
}

export function storedCutMarker(droppedBytes: number): string {
  return `[… ${droppedBytes} bytes cut …]`;
}

export class OutputBuffer {
  readonly #headLimit: number;
  readonly #tailLimit: number;
  readonly #headChunks: Buffer[] = [];
  #headBytes = 0;
  #ring: Buffer | null = null;
  /** Bytes that went into the ring, counting the ones it has since overwritten. */
  #tailWritten = 0;
  #totalBytes = 0;
  readonly #onText: ((text: string) => void) | undefined;
  readonly #liveDecoder = new TextDecoder('utf-8');
  #liveStopped = false;

  constructor(options: OutputBufferOptions) {
    const maxBytes = Math.max(2, Math.floor(options.maxBytes));
    this.#headLimit = Math.ceil(maxBytes / 2);
    this.#tailLimit = maxBytes - this.#headLimit;
    this.#onText = options.onText;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#totalBytes += chunk.length;
    let rest = chunk;
    if (this.#headBytes < this.#headLimit) {
      const taken = rest.subarray(0, this.#headLimit - this.#headBytes);
      // A copy, so the head never pins the stream's larger read buffers.
      this.#headChunks.push(Buffer.from(taken));
      this.#headBytes += taken.length;
      rest = rest.subarray(taken.length);
      this.#emitLive(taken);
    }
    if (rest.length > 0) {
      this.#stopLive();
      this.#writeRing(rest);
    }
  }

  #emitLive(bytes: Buffer): void {
    if (this.#onText === undefined || this.#liveStopped) return;
    const text = this.#liveDecoder.decode(bytes, { stream: true });
    if (text !== '') this.#onText(safeTerminalText(text));
  }

  #stopLive(): void {
    if (this.#onText === undefined || this.#liveStopped) return;
    this.#liveStopped = true;
    const rest = this.#liveDecoder.decode();
    this.#onText(
      `${safeTerminalText(rest)}\n[… more than ${this.#headLimit} bytes of output: the live view stops here; the end is kept …]\n`,
    );
  }

  #writeRing(bytes: Buffer): void {
    if (this.#ring === null) this.#ring = Buffer.allocUnsafe(this.#tailLimit);
    const ring = this.#ring;
    let data = bytes;
    if (data.length > ring.length) {
      this.#tailWritten += data.length - ring.length;
      data = data.subarray(data.length - ring.length);
    }
    const position = this.#tailWritten % ring.length;
    const first = Math.min(data.length, ring.length - position);
    data.copy(ring, position, 0, first);
    if (first < data.length) data.copy(ring, 0, first);
    this.#tailWritten += data.length;
  }

  #tailBytes(): Buffer {
    const ring = this.#ring;
    if (ring === null) return Buffer.alloc(0);
    if (this.#tailWritten <= ring.length) return ring.subarray(0, this.#tailWritten);
    const position = this.#tailWritten % ring.length;
    return Buffer.concat([ring.subarray(position), ring.subarray(0, position)]);
  }

  /** The kept output as text: invalid UTF-8 replaced, controls made visible, the cut marked. */
  finish(): BufferedOutput {
    const head = Buffer.concat(this.#headChunks);
    const tail = this.#tailBytes();
    const droppedBytes = this.#totalBytes - head.length - tail.length;
    if (droppedBytes === 0) {
      return {
        text: decode(Buffer.concat([head, tail])),
        truncated: false,
        totalBytes: this.#totalBytes,
        cut: null,
      };
    }
    const headText = decode(head.subarray(0, completeUtf8Length(head)));
    const tailText = decode(tail.subarray(leadingContinuationBytes(tail)));
    return {
      text: `${headText}\n${storedCutMarker(droppedBytes)}\n${tailText}`,
      truncated: true,
      totalBytes: this.#totalBytes,
      cut: { atByte: head.length, droppedBytes },
    };
  }
}

function decode(bytes: Buffer): string {
  return safeTerminalText(new TextDecoder('utf-8').decode(bytes));
}

/** Length of `bytes` without a multi-byte character the cut split at its end. */
export function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Continuation bytes at the start of `bytes`, left over from a character the cut split. */
export function leadingContinuationBytes(bytes: Buffer): number {
  let count = 0;
  while (count < 3 && count < bytes.length && (bytes[count]! & 0xc0) === 0x80) count += 1;
  return count;
}
