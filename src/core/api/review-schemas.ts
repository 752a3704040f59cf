/**
 * Review (issue 9 item 1): ratings, tags, notes and a conversation's outcome, the labels a reviewer puts on a
 * model message, a proposal or a conversation; the sidebar's filters; a conversation's model calls. One
 * definition for the server, the web UI and the tests.
 *
 * Which labels are one-per-what (labels.ts enforces it): a rating and a note are each person's own (one
 * current per target and account: rating again replaces it); a tag is shared (one current per target and
 * tag, anyone with `label` removes it); the outcome is the conversation's (one current).
 */
import { z } from 'zod';
import { EXPORT_OUTCOMES, EXPORT_RATINGS } from './dataset-schemas.ts';

export const LABEL_TARGET_KINDS = ['message', 'proposal', 'conversation'] as const;
export type LabelTargetKind = (typeof LABEL_TARGET_KINDS)[number];
export const LABEL_NAMES = ['rating', 'tag', 'note', 'outcome'] as const;
export type LabelName = (typeof LABEL_NAMES)[number];

export const RATINGS = EXPORT_RATINGS;
export type Rating = (typeof RATINGS)[number];
export const OUTCOMES = EXPORT_OUTCOMES;
export type Outcome = (typeof OUTCOMES)[number];

/** What a tag may be: a short word or phrase, kept as typed (trimmed). */
export const TagSchema = z.string().trim().min(1, 'a tag needs at least one character').max(100);

/** A label as stored: the RecordLabel of the dataset contract, plus when it was removed or replaced. */
export const LabelSchema = z.object({
  id: z.string(),
  targetKind: z.enum(LABEL_TARGET_KINDS),
  targetId: z.string(),
  name: z.enum(LABEL_NAMES),
  value: z.string(),
  reason: z.string().nullable(),
  accountId: z.string().nullable(),
  createdAt: z.string(),
  /** Null while current; set when removed, or replaced by a newer label of the same kind. */
  deletedAt: z.string().nullable(),
});
export type LabelDto = z.infer<typeof LabelSchema>;

/** `GET /api/conversations/:id/labels`: the current labels of the conversation and everything in it. */
export const LabelListSchema = z.object({ labels: z.array(LabelSchema) });

/** What a change did: the label now current (null after a removal) and those it tombstoned. */
export const LabelChangeSchema = z.object({
  conversationId: z.string(),
  label: LabelSchema.nullable(),
  removed: z.array(LabelSchema),
  /** False when the target already had exactly this (the same rating again, a tag it has). */
  changed: z.boolean(),
});
export type LabelChange = z.infer<typeof LabelChangeSchema>;

export const RatingBody = z.strictObject({
  value: z.enum(RATINGS),
  /** Why (optional): what was wrong, or what was good about it. */
  reason: z.string().trim().max(2000).nullish(),
});
export type RatingBodyDto = z.infer<typeof RatingBody>;

export const TagBody = z.strictObject({ tag: TagSchema });
export type TagBodyDto = z.infer<typeof TagBody>;

/** An empty text removes the note. */
export const NoteBody = z.strictObject({ text: z.string().max(20_000) });
export type NoteBodyDto = z.infer<typeof NoteBody>;

/** Null clears the outcome. */
export const OutcomeBody = z.strictObject({ outcome: z.enum(OUTCOMES).nullable() });
export type OutcomeBodyDto = z.infer<typeof OutcomeBody>;

/** A query value that may be given once or repeated (`?tag=a&tag=b`), or comma-separated (`?tag=a,b`). */
function listOf<T extends z.ZodType<string>>(item: T) {
  return z.preprocess(
    (value) =>
      (Array.isArray(value) ? value : value === undefined ? [] : [value])
        .flatMap((entry) => String(entry).split(','))
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    z.array(item).max(100),
  );
}

/**
 * `GET /api/conversations?tag=…&rating=…`: the sidebar's filters. Filters combine with AND, the values of one
 * filter with OR, as the export's filters do (dataset-schemas.ts). `containing`: message ids; conversations
 * that hold one of them or a copy of one (a fork's, a Copy to…'s, or the original a copy came from).
 */
export const ConversationFilterQuery = z.object({
  tag: listOf(TagSchema).optional(),
  rating: listOf(z.enum(RATINGS)).optional(),
  outcome: listOf(z.enum(OUTCOMES)).optional(),
  model: listOf(z.string().min(1).max(200)).optional(),
  /** Conversations changed at or after this day or instant. */
  since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  containing: listOf(z.string().min(1).max(100)).optional(),
});
export type ConversationFilterQueryDto = z.infer<typeof ConversationFilterQuery>;

/** The filters as the store takes them (labels.ts / conversation-filters.ts). */
export interface ConversationFilters {
  tags?: readonly string[];
  ratings?: readonly Rating[];
  outcomes?: readonly Outcome[];
  models?: readonly string[];
  since?: string;
  containing?: readonly string[];
}

/** The query's names to the store's (empty lists mean no filter). */
export function conversationFiltersOf(query: ConversationFilterQueryDto): ConversationFilters {
  const filters: ConversationFilters = {};
  if (query.tag?.length) filters.tags = query.tag;
  if (query.rating?.length) filters.ratings = query.rating;
  if (query.outcome?.length) filters.outcomes = query.outcome;
  if (query.model?.length) filters.models = query.model;
  if (query.since !== undefined) filters.since = query.since;
  if (query.containing?.length) filters.containing = query.containing;
  return filters;
}

/** One model call of a conversation, whether or not it produced a message (legacy imports keep such calls). */
export const ModelCallListItemSchema = z.object({
  id: z.string(),
  messageId: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  status: z.string(),
  finishReason: z.string().nullable(),
  error: z.string().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  durationMs: z.number().nullable(),
  createdAt: z.string(),
});
export type ModelCallListItem = z.infer<typeof ModelCallListItemSchema>;

/** `GET /api/conversations/:id/model-calls`, oldest first. */
export const ModelCallListSchema = z.object({ modelCalls: z.array(ModelCallListItemSchema) });
