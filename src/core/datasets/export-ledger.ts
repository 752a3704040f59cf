/**
 * The two halves of every export's hygiene (issue 9 item 3), apart because they depend on different things:
 *
 * - `screenExample`, per example and independent of every other line: secrets redacted (counted per kind),
 *   the line validated against the format's rules, serialized, and measured against the token limit;
 * - `ExportLedger`, over the lines in file order: identical lines dropped, tokens tallied, and the summary
 *   counted, only for lines written.
 *
 * A line over the limit is never a duplicate: identical lines are equally long, and a dropped line is not
 * remembered, so deciding the limit before duplicates counts the same as after.
 */
import { createHash } from 'node:crypto';
import type { DatasetExample, DropReason } from './dataset-format.ts';
import type { LineValidator } from './line-rules.ts';
import { type LineSize, type LineTokenCounter, lineSize, TokenTally } from './line-tokens.ts';
import { type RedactionCounts, redactValue } from './redaction.ts';

export interface ExportSummary {
  written: number;
  /** o200k tokens of the lines written: exact, or estimated from a sample when `tokensEstimated`. */
  tokens: number;
  tokensEstimated: boolean;
  dropped: Record<DropReason, number>;
  /** Secrets redacted, per kind (`openai-key`, `aws-access-key`, `github-token`, `private-key`, `url-password`, `env-line`, …). */
  redactions: Record<string, number>;
  /** Examples written per source (`conversation`, `edited-message`, `chosen-sibling`, `edited-proposal`, `rejected-proposal`, `test-fix`). */
  sources: Record<string, number>;
  /** The first few reasons an example was invalid, for the report (capped). */
  invalid: { conversationId: string; source: string; problem: string }[];
}

/** How many invalid examples the summary lists (all are counted). */
export const MAX_LISTED_INVALID = 20;

export function newExportSummary(): ExportSummary {
  return {
    written: 0,
    tokens: 0,
    tokensEstimated: false,
    dropped: { duplicate: 0, 'too-long': 0, invalid: 0, empty: 0 },
    redactions: {},
    sources: {},
    invalid: [],
  };
}

/** An example that may be written, once the ledger has seen it is not a duplicate. */
export interface ScreenedLine extends LineSize {
  kind: 'line';
  /** The JSON line, no newline. */
  text: string;
  /** The line's sha256, shortened: identical lines have the same. */
  hash: string;
  example: DatasetExample;
  /** Secrets replaced in this line; counted into the summary only if it is written. */
  redactions: RedactionCounts;
}

export interface DroppedExample {
  kind: 'dropped';
  reason: DropReason;
  example: DatasetExample;
  detail: string;
}

/**
 * @example screenExample(built, lineValidator('openai-sft'), 65_536, new LineTokenCounter())
 */
export function screenExample(
  built: DatasetExample,
  validate: LineValidator,
  maxTokens: number,
  counter: LineTokenCounter,
): ScreenedLine | DroppedExample {
  const redactions: RedactionCounts = {};
  const example: DatasetExample = { ...built, value: redactValue(built.value, redactions) };
  const problem = validate(example.value);
  if (problem !== null) return { kind: 'dropped', reason: problem.reason, example, detail: problem.problem };
  const text = JSON.stringify(example.value);
  const size = lineSize(example.value, text, maxTokens, counter);
  if (size.tokens !== null && size.tokens > maxTokens) {
    return {
      kind: 'dropped',
      reason: 'too-long',
      example,
      detail: `${size.tokens} tokens, over the limit of ${maxTokens}`,
    };
  }
  const hash = createHash('sha256').update(text).digest('base64').slice(0, 22);
  return { kind: 'line', text, hash, example, redactions, ...size };
}

/**
 * The file-order half: duplicates, the token tally and the summary. Memory: a 22-character hash per line
 * written.
 */
export class ExportLedger {
  readonly summary: ExportSummary;
  readonly #seen = new Set<string>();
  readonly #tally: TokenTally;

  /** `countTokensEvery`: 1 counts every written line's tokens; N counts one in N and estimates the rest. */
  constructor(summary: ExportSummary, countTokensEvery: number, counter: LineTokenCounter) {
    this.summary = summary;
    this.#tally = new TokenTally(countTokensEvery, counter);
  }

  /** Counts a drop; an invalid example's problem is listed (up to MAX_LISTED_INVALID). */
  drop(dropped: DroppedExample): DroppedExample {
    this.summary.dropped[dropped.reason] += 1;
    if (dropped.reason === 'invalid' && this.summary.invalid.length < MAX_LISTED_INVALID) {
      this.summary.invalid.push({
        conversationId: dropped.example.conversationId,
        source: dropped.example.source,
        problem: dropped.detail,
      });
    }
    return dropped;
  }

  /** The line written (counted), or dropped as a duplicate of one already written. */
  take(line: ScreenedLine): ScreenedLine | DroppedExample {
    if (this.#seen.has(line.hash)) {
      return this.drop({
        kind: 'dropped',
        reason: 'duplicate',
        example: line.example,
        detail: 'the same line was already written',
      });
    }
    this.#seen.add(line.hash);
    const summary = this.summary;
    summary.written += 1;
    const tokens = this.#tally.add(line, line.text, () => line.example.value);
    summary.tokens = this.#tally.total;
    summary.tokensEstimated = this.#tally.estimated;
    summary.sources[line.example.source] = (summary.sources[line.example.source] ?? 0) + 1;
    for (const kind in line.redactions) {
      summary.redactions[kind] = (summary.redactions[kind] ?? 0) + (line.redactions[kind] ?? 0);
    }
    return tokens === line.tokens ? line : { ...line, tokens };
  }

  /** After the last line: counts the token sample, so the summary's tokens are final. */
  finish(): void {
    this.#tally.finish();
    this.summary.tokens = this.#tally.total;
    this.summary.tokensEstimated = this.#tally.estimated;
  }
}
