/**
 * An export, one record at a time (issue 9 items 2 and 3): the format's builder makes examples, and every
 * example goes through the same hygiene whatever the format: secrets redacted (counted per kind), the line
 * validated against the format's rules (invalid ones reported, never written), identical lines dropped, lines
 * over the token limit dropped. The caller (a route) writes the `line` events and shows the `dropped` ones;
 * `summary` is filled as it goes, so a progress bar can read it between events.
 *
 * Two steps, which `mp export` runs on two threads (src/cli/export-line-thread.ts): `exportCandidates`
 * where the records are, and `ExportLines` from each line's text. Memory: one record at a time, plus a short
 * hash per line written (for duplicates). The steps themselves are in export-ledger.ts.
 */
import type { ConversationRecord } from './conversation-record.ts';
import type { DatasetBuilder, DatasetOptions, DropReason, TrainingFormat } from './dataset-format.ts';
import {
  type DroppedExample,
  ExportLedger,
  type ExportSummary,
  type LineCandidate,
  type LineOrigin,
  lineCandidate,
  screenLine,
} from './export-ledger.ts';
import { type LineValidator, lineValidator } from './line-rules.ts';
import { LineTokenCounter } from './line-tokens.ts';
import { openAIDpoBuilder } from './openai-dpo.ts';
import { openAISftBuilder } from './openai-sft.ts';
import { shareGptBuilder } from './sharegpt.ts';
import { trlDpoBuilder } from './trl-dpo.ts';
import { trlSftBuilder } from './trl-sft.ts';

export {
  type DroppedExample,
  ExportLedger,
  type ExportSummary,
  type LineCandidate,
  type LineOrigin,
  MAX_LISTED_INVALID,
  newExportSummary,
} from './export-ledger.ts';

export type ExportEvent =
  | {
      kind: 'line';
      text: string /* one JSON line, no newline */;
      /** The line's UTF-8 bytes, no newline (what a file gets). */
      data: Buffer;
      origin: LineOrigin;
      /** Exact o200k tokens when this line was counted (always, unless the export counts a sample). */
      tokens: number | null;
    }
  | { kind: 'dropped'; reason: DropReason; origin: LineOrigin; detail: string };

/**
 * Examples over this many tokens (o200k, of the line's texts: line-tokens.ts) are dropped unless the caller
 * sets its own:
 * OpenAI's per-example limit for its fine-tunable chat models; for the open formats a 32k context, which
 * the common open-weight models train at.
 */
export const DEFAULT_MAX_TOKENS: Record<TrainingFormat, number> = {
  'openai-sft': 65_536,
  'openai-dpo': 65_536,
  'trl-sft': 32_768,
  'trl-dpo': 32_768,
  sharegpt: 32_768,
};

const BUILDERS: Record<TrainingFormat, DatasetBuilder> = {
  'openai-sft': openAISftBuilder,
  'openai-dpo': openAIDpoBuilder,
  'trl-sft': trlSftBuilder,
  'trl-dpo': trlDpoBuilder,
  sharegpt: shareGptBuilder,
};

/** The builder of `format` (its `description` is the dataset card's sentence). */
export function datasetBuilder(format: TrainingFormat): DatasetBuilder {
  return BUILDERS[format];
}

/**
 * @example
 * const summary = newExportSummary();
 * for await (const event of exportDataset('openai-sft', records, { includeUnchecked: false, maxTokens: DEFAULT_MAX_TOKENS['openai-sft'] }, summary)) {
 *   if (event.kind === 'line') out.write(`${event.text}\n`);
 * }
 */
export async function* exportDataset(
  format: TrainingFormat,
  records: AsyncIterable<ConversationRecord>,
  options: DatasetOptions,
  summary: ExportSummary,
): AsyncGenerator<ExportEvent> {
  const lines = new ExportLines(format, options, summary);
  for await (const candidate of exportCandidates(format, records, options)) yield lines.take(candidate);
}

/**
 * The first step of an export, where the records are: each example built, validated and serialized
 * (`lineCandidate`), in file order. `ExportLines` takes them from there, on this thread or another.
 */
export async function* exportCandidates(
  format: TrainingFormat,
  records: AsyncIterable<ConversationRecord>,
  options: DatasetOptions,
): AsyncGenerator<LineCandidate | DroppedExample> {
  const builder = datasetBuilder(format);
  const validate = lineValidator(format);
  for await (const record of records) {
    for (const built of builder.examples(record, options)) yield lineCandidate(built, validate);
  }
}

/**
 * The rest of an export, from each candidate's text alone (so it can run on a thread of its own): the line
 * screened (`screenLine`) and passed through the ledger, in the order taken.
 */
export class ExportLines {
  readonly #validate: LineValidator;
  readonly #maxTokens: number;
  readonly #counter = new LineTokenCounter();
  readonly #ledger: ExportLedger;

  constructor(format: TrainingFormat, options: DatasetOptions, summary: ExportSummary) {
    this.#validate = lineValidator(format);
    this.#maxTokens = options.maxTokens;
    this.#ledger = new ExportLedger(summary, options.countTokensEvery ?? 1, this.#counter);
  }

  /** What becomes of one candidate (or an example dropped before it was one): a line to write, or a drop. */
  take(candidate: LineCandidate | DroppedExample): ExportEvent {
    const screened =
      candidate.kind === 'candidate'
        ? screenLine(candidate, this.#validate, this.#maxTokens, this.#counter)
        : candidate;
    const taken = screened.kind === 'line' ? this.#ledger.take(screened) : this.#ledger.drop(screened);
    if (taken.kind === 'dropped') return taken;
    return { kind: 'line', text: taken.text, data: taken.data, origin: taken.origin, tokens: taken.tokens };
  }
}
