/**
 * The second thread of `mp export` (export-line-thread.ts): takes the candidates the first thread makes
 * (records read, examples built, validated and serialized) and does the rest of each line, in file order:
 * redaction, the token limit, duplicates, the summary, and the file. It reads no store, so it loads only
 * the hygiene's modules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainingFormat } from '../core/datasets/dataset-format.ts';
import { ExportLines, newExportSummary } from '../core/datasets/export-dataset.ts';
import { loadTokenizer } from '../core/token-count.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import type { LineThreadReply, LineThreadRequest } from './export-line-thread.ts';

const { format, fd } = workerData as { format: TrainingFormat; fd: number };
const port = parentPort!;
const summary = newExportSummary();
const writer = new ChunkedWriter(fd);
let lines: ExportLines | undefined;

// Every export with a line counts some (all, or a sample): loaded now, while the first thread opens the store,
// rather than at the first line, where the first thread would wait for it.
loadTokenizer();
/** After a failure nothing more is written: the batches already sent are dropped with the export. */
let failed = false;

port.on('message', (request: LineThreadRequest) => {
  if (failed) return;
  try {
    if (request.kind === 'start') {
      lines = new ExportLines(format, request.options, summary);
    } else if (request.kind === 'batch') {
      if (lines === undefined) throw new Error('a batch came before the start');
      for (const candidate of request.candidates) {
        const event = lines.take(candidate);
        if (event.kind === 'line') writer.line(event.data);
      }
      reply({ kind: 'taken' });
    } else {
      writer.flush();
      reply({ kind: 'finished', summary, bytes: writer.bytes });
    }
  } catch (error) {
    // The file could not be written (a full disk), or a bug: said once; the export stops there.
    failed = true;
    const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
    reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error), code });
  }
});

function reply(message: LineThreadReply): void {
  port.postMessage(message);
}
