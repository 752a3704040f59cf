/**
 * An export's file (`mp export`), written in chunks: one write per line would cost a system call each.
 * Synchronous: an export does nothing else meanwhile, and its memory stays one chunk.
 */
import { writeSync } from 'node:fs';

const CHUNK_BYTES = 256 * 1024;
const NEWLINE = Buffer.from('\n');

export class ChunkedWriter {
  readonly #fd: number;
  #buffer: Buffer[] = [];
  #size = 0;
  bytes = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** A line, as text or as its UTF-8 bytes (no newline either way). */
  line(line: string | Buffer): void {
    const data = typeof line === 'string' ? Buffer.from(line) : line;
    this.#buffer.push(data, NEWLINE);
    this.#size += data.length + 1;
    if (this.#size >= CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.#size === 0) return;
    const chunk = Buffer.concat(this.#buffer, this.#size);
    let written = 0;
    while (written < chunk.length) written += writeSync(this.#fd, chunk, written);
    this.bytes += chunk.length;
    this.#buffer = [];
    this.#size = 0;
  }
}
