/**
 * The datasets API (issue 9): which conversations an export takes. The same filters serve `mp export`, the
 * Export dialog and its route, and the store's row source (src/store/dataset-source.ts), so a filter means
 * one thing everywhere. Filters combine with AND; the values inside one filter combine with OR
 * (`tags: ['a', 'b']` takes a conversation with a label `a` or `b`).
 */
import { z } from 'zod';

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
  /** Only these conversations. */
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
