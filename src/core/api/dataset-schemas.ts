/**
 * The datasets API (issue 9): which conversations an export takes. The same filters serve `mp export`, the
 * Export dialog and its route, and the store's row source (src/store/dataset-source.ts), so a filter means
 * one thing everywhere. Filters combine with AND; the values inside one filter combine with OR
 * (`tags: ['a', 'b']` takes a conversation with a label `a` or `b`).
 */
import { z } from 'zod';
import { TRAINING_FORMATS } from '../datasets/dataset-format.ts';

const id = z.string().min(1).max(100);
const word = z.string().trim().min(1).max(200);

export const EXPORT_RATINGS = ['good', 'bad'] as const;
export const EXPORT_OUTCOMES = ['solved', 'failed', 'abandoned'] as const;

/**
 * A day (`2026-11-30`, UTC midnight) or an instant with its offset (`2026-11-30T12:00:00Z`). Kept as given;
 * the row source compares it as an instant.
 */
export const ExportSinceSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'since must be a date like 2026-11-30 or an ISO date-time like 2026-11-30T12:00:00Z',
});

export const ExportFiltersSchema = z.strictObject({
  /** Only these conversations. (An empty list, here or below, filters nothing, as one left out.) */
  conversationIds: z.array(id).max(10_000).optional(),
  /** Conversations with one of these tags, on the conversation or on any of its messages or proposals. */
  tags: z.array(word).max(100).optional(),
  /** Conversations where a message or proposal carries one of these ratings. */
  ratings: z.array(z.enum(EXPORT_RATINGS)).max(2).optional(),
  /** Conversations whose outcome is one of these. */
  outcomes: z.array(z.enum(EXPORT_OUTCOMES)).max(3).optional(),
  /** Conversations updated at or after this moment. */
  since: ExportSinceSchema.optional(),
  /** Conversations with a model call to one of these models. */
  models: z.array(word).max(100).optional(),
});
export type ExportFilters = z.infer<typeof ExportFiltersSchema>;

/**
 * `POST /api/exports/preview` and `POST /api/exports` (the Export dialog): a training format, the filters,
 * and the hygiene options. `dump` is left out: it is the store's tables whole (every conversation, whoever
 * may see it), for `mp export` on the machine that holds the data, not a download from a shared server.
 */
export const ExportRequestSchema = z.strictObject({
  format: z.enum(TRAINING_FORMATS),
  filters: ExportFiltersSchema.default({}),
  /** Take unchecked messages too (default: only checked, undeleted ones). */
  includeUnchecked: z.boolean().default(false),
  /** Examples over this many tokens are dropped and counted; default: the format's (DEFAULT_MAX_TOKENS). */
  maxTokens: z.number().int().min(1).max(10_000_000).optional(),
});
export type ExportRequest = z.infer<typeof ExportRequestSchema>;
/** What the dialog sends (defaults filled in by the server). */
export type ExportRequestInput = z.input<typeof ExportRequestSchema>;

const countBy = z.record(z.string(), z.number().int().min(0));

/** The export's summary (export-dataset.ts's ExportSummary), as the dataset card reports it. */
export const ExportCountsSchema = z.object({
  written: z.number().int().min(0),
  tokens: z.number().int().min(0),
  /** The tokens were counted on a sample of the lines and estimated for the rest (docs/datasets.md). */
  tokensEstimated: z.boolean(),
  dropped: countBy,
  redactions: countBy,
  sources: countBy,
  invalid: z.array(z.object({ conversationId: z.string(), source: z.string(), problem: z.string() })),
});
export type ExportCounts = z.infer<typeof ExportCountsSchema>;

/**
 * `POST /api/exports/preview`: the true counts of the whole export (it runs over every record the filters
 * take, writing nothing), its first few lines as written (redacted), the token limit it applied, and the
 * dataset card (README.md) for these counts.
 */
export const ExportPreviewSchema = z.object({
  counts: ExportCountsSchema,
  examples: z.array(z.object({ source: z.string(), conversationId: z.string(), line: z.unknown() })),
  maxTokens: z.number().int(),
  card: z.string(),
});
export type ExportPreview = z.infer<typeof ExportPreviewSchema>;
