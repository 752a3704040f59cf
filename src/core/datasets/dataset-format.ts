/**
 * The contract between the export plumbing (CLI, route, row source) and the dataset builders (issue 9). A
 * builder is pure and streaming: it takes one conversation record at a time and returns what that record
 * gives, lines to write and examples left out with the reason, so the caller can count and report them.
 * Hygiene (redaction, duplicates, token limit, validation) is applied by `exportDataset` (export-dataset.ts)
 * around every builder, the same for all formats.
 */
import type { ConversationRecord } from './conversation-record.ts';

/** The training formats, each a DatasetBuilder. */
export const TRAINING_FORMATS = ['openai-sft', 'openai-dpo', 'trl-sft', 'trl-dpo', 'sharegpt'] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];
/**
 * `dump` is not built from records: it is the store's tables row by row, lossless (src/store/dump.ts), so
 * `mp import dump` can put every row back with its id.
 */
export const DATASET_FORMATS = [...TRAINING_FORMATS, 'dump'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export interface DatasetOptions {
  /** Take unchecked messages too (default: only checked, undeleted ones). */
  includeUnchecked: boolean;
  /** Examples over this many tokens are dropped and counted (default per format). */
  maxTokens: number;
  /**
   * 1 (default): the summary's tokens are counted on every line written, exactly. N: on one written line in N,
   * the rest estimated from them (`tokensEstimated`); for exports too large to count whole in good time.
   * The token limit is decided exactly either way.
   */
  countTokensEvery?: number;
}

/** Why an example was left out; counted per reason in the export's summary. */
export type DropReason = 'duplicate' | 'too-long' | 'invalid' | 'empty';

/** One example a builder makes from a record: the JSON value of one line, and where it came from. */
export interface DatasetExample {
  /** The line's value, serialized with JSON.stringify by the caller. */
  value: unknown;
  /** What produced it, for the dataset card and the preview: e.g. `conversation`, `edited-message`,
   * `chosen-sibling`, `edited-proposal`, `rejected-proposal`, `test-fix`. */
  source: string;
  conversationId: string;
}

export interface DatasetBuilder {
  format: TrainingFormat;
  /** A sentence for the dataset card: what one line is. */
  description: string;
  examples(record: ConversationRecord, options: DatasetOptions): Iterable<DatasetExample>;
}
