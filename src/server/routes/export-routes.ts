/**
 * Export from the UI (issue 9 item 4): the Export dialog's preview and its download, both the real export
 * (`exportDataset`, the same hygiene as `mp export`) over the records the filters take.
 *
 * - The preview runs the whole export and writes nothing: its counts are the download's counts (for the data
 *   as it is then), not an estimate from a sample. It costs what the export costs; it stops as soon as the
 *   person closes the dialog (the connection closes).
 * - The download streams the JSON lines as they are made, in chunks, with the response's back-pressure: the
 *   server holds one conversation record and one chunk, however large the database.
 * - Both see only the conversations the actor may see (a team server's private conversations of others are
 *   left out, as in the conversation list), whatever the filters name.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { Actor } from '../../core/accounts.ts';
import {
  type ExportFilters,
  ExportPreviewSchema,
  type ExportRequest,
  ExportRequestSchema,
} from '../../core/api/dataset-schemas.ts';
import type { ConversationRecord } from '../../core/datasets/conversation-record.ts';
import type { DatasetOptions, TrainingFormat } from '../../core/datasets/dataset-format.ts';
import {
  DEFAULT_MAX_TOKENS,
  type ExportEvent,
  type ExportSummary,
  exportDataset,
  newExportSummary,
} from '../../core/datasets/export-dataset.ts';
import { canSeeConversation, viewerAccountId } from '../../core/permissions.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

/** The first lines a preview shows; enough to see the shape, few enough to read. */
export const PREVIEW_EXAMPLES = 3;
/** Lines are sent in chunks of about this many characters: one write per line would cost a syscall each. */
const CHUNK_CHARS = 64 * 1024;

/** What the dataset card (README.md beside the file) is made from. */
export interface ExportCardInput {
  format: TrainingFormat;
  filters: ExportFilters;
  options: DatasetOptions;
  summary: ExportSummary;
  createdAt: Date;
  /** The data file's name, as the download names it. */
  dataFile: string;
}

export interface ExportRoutesOptions {
  /**
   * The row source: one record per conversation the filters take, one at a time, only those `viewer` may see
   * (null: every one) (src/store/dataset-source.ts).
   */
  records: (filters: ExportFilters, viewer: string | null) => AsyncIterable<ConversationRecord>;
  /** The dataset card's Markdown for an export's summary. */
  card: (input: ExportCardInput) => string;
  now?: () => Date;
}

export function exportRoutes(options: ExportRoutesOptions): ApiRoute[] {
  const now = options.now ?? (() => new Date());
  const run = (actor: Actor, body: ExportRequest, summary: ExportSummary) =>
    exportDataset(
      body.format,
      visibleTo(actor, options.records(body.filters, viewerAccountId(actor))),
      datasetOptions(body),
      summary,
    );
  return [
    defineRoute({
      method: 'POST',
      url: '/api/exports/preview',
      access: 'label',
      summary:
        'An export run without writing: its true counts (written, dropped by reason, redactions, tokens, sources), its first lines, and the dataset card',
      body: ExportRequestSchema,
      response: ExportPreviewSchema,
      handler: async ({ body, actor, reply }) => {
        // The person closed the dialog: no one reads the answer, so the rest of the export is not worth running.
        let gone = false;
        reply.raw.once('close', () => {
          gone = true;
        });
        const summary = newExportSummary();
        const examples: { source: string; conversationId: string; line: unknown }[] = [];
        for await (const event of run(actor, body, summary)) {
          if (gone) break;
          if (event.kind === 'line' && examples.length < PREVIEW_EXAMPLES) {
            // The line as written (redacted), not the builder's value before hygiene.
            examples.push({
              source: event.origin.source,
              conversationId: event.origin.conversationId,
              line: JSON.parse(event.text),
            });
          }
        }
        const datasetOptionsUsed = datasetOptions(body);
        const createdAt = now();
        return {
          counts: summary,
          examples,
          maxTokens: datasetOptionsUsed.maxTokens,
          card: options.card({
            format: body.format,
            filters: body.filters,
            options: datasetOptionsUsed,
            summary,
            createdAt,
            dataFile: exportFileName(body.format, createdAt),
          }),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/exports',
      access: 'label',
      summary:
        'The export as a JSON Lines download, streamed as it is made (Content-Disposition: attachment)',
      body: ExportRequestSchema,
      handler: ({ body, actor, reply }) => {
        reply.header('Content-Type', 'application/jsonl; charset=utf-8');
        reply.header('Content-Disposition', `attachment; filename="${exportFileName(body.format, now())}"`);
        // A stream the response pulls from: when the client stops reading, the export waits; when it goes
        // away, the stream is destroyed and the generator (and the row source under it) is closed.
        return Readable.from(jsonLines(run(actor, body, newExportSummary())), { objectMode: false });
      },
    }),
  ];
}

/**
 * @example
 * exportFileName('trl-sft', new Date('2026-12-02T10:00:00Z')) // 'mp-trl-sft-2026-12-02.jsonl'
 */
export function exportFileName(format: TrainingFormat, date: Date): string {
  return `mp-${format}-${date.toISOString().slice(0, 10)}.jsonl`;
}

function datasetOptions(body: ExportRequest): DatasetOptions {
  return {
    includeUnchecked: body.includeUnchecked,
    maxTokens: body.maxTokens ?? DEFAULT_MAX_TOKENS[body.format],
  };
}

/**
 * Leaves out what the actor may not see: filters name conversations, they do not grant reading them. The row
 * source already asks the store for the viewer's conversations only; this is the route's own check on each
 * record, so a source that forgot it would still not leak.
 *
 * Each record waits for a turn of the event loop first. On SQLite the store's queries settle as promises
 * without real I/O, so an export would otherwise run to its end in one go: every other request would wait
 * for it, and a preview would never see that its client went away.
 */
async function* visibleTo(
  actor: Actor,
  records: AsyncIterable<ConversationRecord>,
): AsyncGenerator<ConversationRecord> {
  for await (const record of records) {
    await setImmediate();
    if (canSeeConversation(actor, record.conversation)) yield record;
  }
}

/** The lines, newline-terminated, gathered into chunks of about CHUNK_CHARS. */
async function* jsonLines(events: AsyncIterable<ExportEvent>): AsyncGenerator<string> {
  let chunk = '';
  for await (const event of events) {
    if (event.kind !== 'line') continue;
    chunk += `${event.text}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
