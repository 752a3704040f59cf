/**
 * An export, one record at a time (issue 9 items 2 and 3): the format's builder makes examples, and every
 * example goes through the same hygiene whatever the format: secrets redacted (counted per kind), the line
 * validated against the format's rules (invalid ones reported, never written), identical lines dropped, lines
 * over the token limit dropped. The caller (CLI, route) writes the `line` events and shows the `dropped` ones;
 * `summary` is filled as it goes, so a progress bar can read it between events.
 *
 * Memory: one record at a time, plus a 16-byte hash per line written (for duplicates).
 */
import { createHash } from 'node:crypto';
import type { ConversationRecord } from './conversation-record.ts';
import type {
  DatasetBuilder,
  DatasetExample,
  DatasetOptions,
  DropReason,
  TrainingFormat,
} from './dataset-format.ts';
import { lineValidator } from './line-rules.ts';
import { LineTokenCounter } from './line-tokens.ts';
import { openAIDpoBuilder } from './openai-dpo.ts';
import { openAISftBuilder } from './openai-sft.ts';
import { type RedactionCounts, redactValue } from './redaction.ts';
import { shareGptBuilder } from './sharegpt.ts';
import { trlDpoBuilder } from './trl-dpo.ts';
import { trlSftBuilder } from './trl-sft.ts';

export interface ExportSummary {
  written: number;
  tokens: number;
  dropped: Record<DropReason, number>;
  /** Secrets redacted, per kind (`openai-key`, `aws-access-key`, `github-token`, `private-key`, `url-password`, `env-line`, …). */
  redactions: Record<string, number>;
  /** Examples written per source (`conversation`, `edited-message`, `chosen-sibling`, `edited-proposal`, `rejected-proposal`, `test-fix`). */
  sources: Record<string, number>;
  /** The first few reasons an example was invalid, for the report (capped). */
  invalid: { conversationId: string; source: string; problem: string }[];
}

export type ExportEvent =
  | { kind: 'line'; text: string /* one JSON line, no newline */; example: DatasetExample; tokens: number }
  | { kind: 'dropped'; reason: DropReason; example: DatasetExample; detail: string };

/** How many invalid examples the summary lists (all are counted). */
export const MAX_LISTED_INVALID = 20;

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

export function newExportSummary(): ExportSummary {
  return {
    written: 0,
    tokens: 0,
    dropped: { duplicate: 0, 'too-long': 0, invalid: 0, empty: 0 },
    redactions: {},
    sources: {},
    invalid: [],
  };
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
  const seen = new Set<string>();
  const counter = new LineTokenCounter();

  const drop = (reason: DropReason, example: DatasetExample, detail: string): ExportEvent => {
    summary.dropped[reason] += 1;
    return { kind: 'dropped', reason, example, detail };
  };

  for await (const record of records) {
    for (const built of builder.examples(record, options)) {
      // Counted into the summary only when the line is written, so the counts describe the file.
      const redactions: RedactionCounts = {};
      const example: DatasetExample = { ...built, value: redactValue(built.value, redactions) };
      const problem = validate(example.value);
      if (problem !== null) {
        if (problem.reason === 'invalid' && summary.invalid.length < MAX_LISTED_INVALID) {
          summary.invalid.push({
            conversationId: example.conversationId,
            source: example.source,
            problem: problem.problem,
          });
        }
        yield drop(problem.reason, example, problem.problem);
        continue;
      }
      const text = JSON.stringify(example.value);
      const hash = createHash('sha256').update(text).digest('base64').slice(0, 22);
      if (seen.has(hash)) {
        yield drop('duplicate', example, 'the same line was already written');
        continue;
      }
      const tokens = counter.count(example.value);
      if (tokens > options.maxTokens) {
        yield drop('too-long', example, `${tokens} tokens, over the limit of ${options.maxTokens}`);
        continue;
      }
      seen.add(hash);
      summary.written += 1;
      summary.tokens += tokens;
      summary.sources[example.source] = (summary.sources[example.source] ?? 0) + 1;
      for (const [kind, count] of Object.entries(redactions)) {
        summary.redactions[kind] = (summary.redactions[kind] ?? 0) + count;
      }
      yield { kind: 'line', text, example, tokens };
    }
  }
}
