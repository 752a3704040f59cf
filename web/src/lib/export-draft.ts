/**
 * The Export dialog's form (issue 9 item 4) as plain values, and the request it makes: lists typed as
 * comma-separated words, a day from the date field, a token limit that is blank for the format's default.
 * Pure, so what each field means is tested without a browser.
 */
import type {
  EXPORT_OUTCOMES,
  EXPORT_RATINGS,
  ExportRequestInput,
} from '../../../src/core/api/dataset-schemas.ts';
import type { TrainingFormat } from '../../../src/core/datasets/dataset-format.ts';

export type ExportRating = (typeof EXPORT_RATINGS)[number];
export type ExportOutcome = (typeof EXPORT_OUTCOMES)[number];

export interface ExportDraft {
  format: TrainingFormat;
  /**
   * `this`: only the open conversation; `shown`: those the sidebar's filters show; `all`: every conversation
   * the other filters take.
   */
  scope: 'all' | 'this' | 'shown';
  /** Comma-separated. */
  tags: string;
  ratings: ExportRating[];
  outcomes: ExportOutcome[];
  /** `YYYY-MM-DD` from the date field, or blank. */
  since: string;
  /** Comma-separated model names. */
  models: string;
  includeUnchecked: boolean;
  /** Blank: the format's default limit. */
  maxTokens: string;
}

/** One line per format for the dialog: what a line is and who reads it (docs/datasets.md has them in full). */
export const FORMAT_DESCRIPTIONS: Readonly<Record<TrainingFormat, string>> = {
  'openai-sft':
    'OpenAI chat fine-tuning: one conversation per line with its tool calls; corrected turns weigh 0.',
  'openai-dpo': 'OpenAI preference tuning: a prompt with a preferred and a non-preferred answer.',
  'trl-sft': 'Hugging Face TRL SFTTrainer: conversational "messages" with tools.',
  'trl-dpo': 'Hugging Face TRL DPOTrainer: conversational prompt, chosen and rejected.',
  sharegpt: 'ShareGPT conversations (from/value), as Axolotl, LLaMA-Factory and FastChat read them.',
};

/** Where the dialog was opened: the open conversation, and what the sidebar's filters show (null: no filter). */
export interface ExportContext {
  currentConversationId: string | null;
  shownConversationIds: readonly string[] | null;
}

/** Starts from what the person is looking at: the sidebar's filtered list, else the open conversation. */
export function emptyExportDraft(context: ExportContext): ExportDraft {
  return {
    format: 'openai-sft',
    scope:
      context.shownConversationIds !== null
        ? 'shown'
        : context.currentConversationId === null
          ? 'all'
          : 'this',
    tags: '',
    ratings: [],
    outcomes: [],
    since: '',
    models: '',
    includeUnchecked: false,
    maxTokens: '',
  };
}

export type ExportDraftResult =
  | { ok: true; request: ExportRequestInput }
  | { ok: false; field: 'maxTokens' | 'scope'; problem: string };

/**
 * @example
 * const nowhere = { currentConversationId: null, shownConversationIds: null };
 * exportRequest({ ...emptyExportDraft(nowhere), tags: 'fix, ,refactor' }, nowhere)
 * // { ok: true, request: { format: 'openai-sft', filters: { tags: ['fix', 'refactor'] }, includeUnchecked: false } }
 */
export function exportRequest(draft: ExportDraft, context: ExportContext): ExportDraftResult {
  const filters: ExportRequestInput['filters'] = {};
  if (draft.scope === 'this') {
    if (context.currentConversationId === null) {
      return { ok: false, field: 'scope', problem: 'No conversation is open: choose all conversations.' };
    }
    filters.conversationIds = [context.currentConversationId];
  }
  if (draft.scope === 'shown') {
    // An empty list filters nothing (ExportFiltersSchema): it would export every conversation, not none.
    if (context.shownConversationIds === null || context.shownConversationIds.length === 0) {
      return { ok: false, field: 'scope', problem: 'The sidebar shows no conversation: choose another set.' };
    }
    filters.conversationIds = [...context.shownConversationIds];
  }
  const tags = words(draft.tags);
  if (tags.length > 0) filters.tags = tags;
  if (draft.ratings.length > 0) filters.ratings = [...draft.ratings];
  if (draft.outcomes.length > 0) filters.outcomes = [...draft.outcomes];
  if (draft.since !== '') filters.since = draft.since;
  const models = words(draft.models);
  if (models.length > 0) filters.models = models;
  const request: ExportRequestInput = {
    format: draft.format,
    filters,
    includeUnchecked: draft.includeUnchecked,
  };
  const limit = draft.maxTokens.trim();
  if (limit !== '') {
    const value = Number(limit);
    if (!Number.isInteger(value) || value < 1) {
      return {
        ok: false,
        field: 'maxTokens',
        problem: 'Max tokens must be a whole number above 0, or blank for the format’s default.',
      };
    }
    request.maxTokens = value;
  }
  return { ok: true, request };
}

/** Toggles `value` in a list of choices, keeping their order stable. */
export function toggled<T>(list: readonly T[], value: T, on: boolean): T[] {
  const without = list.filter((item) => item !== value);
  return on ? [...without, value] : without;
}

function words(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((word) => word.trim())
        .filter((word) => word !== ''),
    ),
  ];
}
