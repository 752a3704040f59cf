/**
 * An export, one record at a time (issue 9 items 2 and 3): the format's builder makes examples, and every
 * example goes through the same hygiene whatever the format: secrets redacted (counted per kind), the line
 * validated against the format's rules (invalid ones reported, never written), identical lines dropped, lines
 * over the token limit dropped. The caller (CLI, route) writes the `line` events and shows the `dropped` ones;
 * `summary` is filled as it goes, so a progress bar can read it between events (a sampled token total is
 * final only once the last event is taken).
 *
 * Memory: one record at a time, plus a short hash per line written (for duplicates). The two halves of the
 * hygiene (per example, and in file order) are in export-ledger.ts.
 */
import type { ConversationRecord } from './conversation-record.ts';
import type {
  DatasetBuilder,
  DatasetExample,
  DatasetOptions,
  DropReason,
  TrainingFormat,
} from './dataset-format.ts';
import { ExportLedger, type ExportSummary, screenExample } from './export-ledger.ts';
import { lineValidator } from './line-rules.ts';
import { LineTokenCounter } from './line-tokens.ts';
import { openAIDpoBuilder } from './openai-dpo.ts';
import { openAISftBuilder } from './openai-sft.ts';
import { shareGptBuilder } from './sharegpt.ts';
import { trlDpoBuilder } from './trl-dpo.ts';
import { trlSftBuilder } from './trl-sft.ts';

export { ExportLedger, type ExportSummary, MAX_LISTED_INVALID, newExportSummary } from './export-ledger.ts';

export type ExportEvent =
  | {
      kind: 'line';
      text: string /* one JSON line, no newline */;
      example: DatasetExample;
      /** Exact o200k tokens when this line was counted (always, unless the export counts a sample). */
      tokens: number | null;
    }
  | { kind: 'dropped'; reason: DropReason; example: DatasetExample; detail: string };

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
  const builder = datasetBuilder(format);
  const validate = lineValidator(format);
  const counter = new LineTokenCounter();
  const ledger = new ExportLedger(summary, options.countTokensEvery ?? 1, counter);
  for await (const record of records) {
    for (const built of builder.examples(record, options)) {
      const screened = screenExample(built, validate, options.maxTokens, counter);
      const taken = screened.kind === 'line' ? ledger.take(screened) : ledger.drop(screened);
      if (taken.kind === 'dropped') {
        yield { kind: 'dropped', reason: taken.reason, example: taken.example, detail: taken.detail };
      } else {
        yield { kind: 'line', text: taken.text, example: taken.example, tokens: taken.tokens };
      }
    }
  }
  ledger.finish();
}
