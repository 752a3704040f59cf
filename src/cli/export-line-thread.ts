/**
 * `mp export` on two threads: this one reads the records, builds the examples, validates and serializes
 * them (`exportCandidates`); a worker (export-line-worker.ts) redacts, screens, counts and writes each line,
 * in the same order (`ExportLines`). The same steps as the one-thread `exportDataset`, which the server's
 * routes run; this way they take both cores of a laptop (bench/RESULTS.md, "export").
 *
 * Candidates cross in batches, and at most `IN_FLIGHT_BATCHES` wait for the worker, so memory stays a few
 * batches however far the reading runs ahead of the writing.
 */
import { Worker } from 'node:worker_threads';
import type { DatasetOptions, TrainingFormat } from '../core/datasets/dataset-format.ts';
import type { DroppedExample, ExportSummary, LineCandidate } from '../core/datasets/export-dataset.ts';
import { AppError } from '../core/errors.ts';

export type LineThreadRequest =
  | { kind: 'start'; options: DatasetOptions }
  | { kind: 'batch'; candidates: (LineCandidate | DroppedExample)[] }
  | { kind: 'finish' };

export type LineThreadReply =
  | { kind: 'taken' }
  | { kind: 'finished'; summary: ExportSummary; bytes: number }
  | { kind: 'failed'; message: string; code: string | undefined };

/** A batch is sent once its lines hold this many characters, or this many candidates. */
const BATCH_CHARS = 256 * 1024;
const BATCH_CANDIDATES = 256;
const IN_FLIGHT_BATCHES = 4;

export class ExportLineThread {
  readonly #worker: Worker;
  #batch: (LineCandidate | DroppedExample)[] = [];
  #batchChars = 0;
  #inFlight = 0;
  /** Waiting for a batch to be taken (the reader is ahead), or for the end. */
  #waiting: { resolve: (reply: LineThreadReply) => void; reject: (error: Error) => void } | null = null;
  #failure: Error | null = null;

  /**
   * Starts the worker, which loads its modules and the tokenizer (half a second) at once, while the caller
   * opens the store; `start` gives it the options. `fd`: the file it writes, open for writing.
   */
  constructor(format: TrainingFormat, fd: number) {
    this.#worker = new Worker(new URL('./export-line-worker.ts', import.meta.url), {
      workerData: { format, fd },
    });
    this.#worker.on('message', (reply: LineThreadReply) => {
      if (reply.kind === 'taken') this.#inFlight -= 1;
      if (reply.kind === 'failed') this.#fail(lineThreadFailure(reply));
      else this.#wake(reply);
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (code !== 0) this.#fail(new Error(`the export's line thread stopped (exit code ${code})`));
    });
  }

  /** The export's options (its token counting follows the size of the export), before the first candidate. */
  start(options: DatasetOptions): void {
    this.#worker.postMessage({ kind: 'start', options } satisfies LineThreadRequest);
  }

  /** The next candidate, in file order; resolves at once unless the worker is behind. */
  async take(candidate: LineCandidate | DroppedExample): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    this.#batch.push(candidate);
    if (candidate.kind === 'candidate') this.#batchChars += candidate.text.length;
    if (this.#batchChars < BATCH_CHARS && this.#batch.length < BATCH_CANDIDATES) return;
    this.#send();
    while (this.#inFlight > IN_FLIGHT_BATCHES) await this.#next();
  }

  /** After the last candidate: the export's summary and the bytes written, once the file has them all. */
  async finish(): Promise<{ summary: ExportSummary; bytes: number }> {
    if (this.#failure !== null) throw this.#failure;
    this.#send();
    this.#worker.postMessage({ kind: 'finish' } satisfies LineThreadRequest);
    for (;;) {
      const reply = await this.#next();
      if (reply.kind === 'finished') {
        await this.#worker.terminate();
        return { summary: reply.summary, bytes: reply.bytes };
      }
    }
  }

  /** Stops the worker (after a failure on either side); what it had not written is lost with the export. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #send(): void {
    if (this.#batch.length === 0) return;
    this.#worker.postMessage({ kind: 'batch', candidates: this.#batch } satisfies LineThreadRequest);
    this.#inFlight += 1;
    this.#batch = [];
    this.#batchChars = 0;
  }

  #next(): Promise<LineThreadReply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  #wake(reply: LineThreadReply): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.resolve(reply);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(this.#failure);
  }
}

/** A system error (the file) is the person's to act on; anything else is a bug, said as one. */
function lineThreadFailure(reply: { message: string; code: string | undefined }): Error {
  if (reply.code === 'ENOSPC')
    return new AppError('export_write_failed', 'the disk is full; make room and export again');
  if (reply.code !== undefined) {
    return new AppError(
      'export_write_failed',
      `the export could not be written (${reply.code}): ${reply.message}`,
    );
  }
  return new Error(`the export's line thread failed: ${reply.message}`);
}
