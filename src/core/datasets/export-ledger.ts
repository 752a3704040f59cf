/**
 * The hygiene of every export (issue 9 item 3), in three steps that depend on different things, so an
 * export may run them on different threads (src/cli/export-line-thread.ts):
 *
 * - `lineCandidate`, per example, where the builder's value is: validated against the format's rules, and
 *   serialized;
 * - `screenLine`, per line, from its text alone: secrets redacted (counted per kind), the line encoded, and
 *   measured against the token limit;
 * - `ExportLedger`, over the lines in file order: identical lines dropped, tokens tallied, and the summary
 *   counted, only for lines written.
 *
 * Redaction reads the line's JSON once: no secret pattern matches a character JSON escapes, so a line whose
 * text has no trigger of any pattern has no string that does, and is written as it is (almost every line;
 * its validation was of exactly what is written). A line with a trigger is parsed, redacted string by string
 * (keys are left alone), and validated again if anything changed, so a line is always checked as written.
 *
 * A line over the limit is never a duplicate: identical lines are equally long, and a dropped line is not
 * remembered, so deciding the limit before duplicates counts the same as after.
 */
import { hash as digest } from 'node:crypto';
import type { DatasetExample, DropReason } from './dataset-format.ts';
import type { LineValidator } from './line-rules.ts';
import { type LineSize, type LineTokenCounter, lineSize, TokenTally } from './line-tokens.ts';
import { mayHoldSecret, type RedactionCounts, redactValue } from './redaction.ts';

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

/** Where a line came from: what the summary counts it by. */
export interface LineOrigin {
  source: string;
  conversationId: string;
}

/** An example serialized and valid, before redaction (`screenLine`). */
export interface LineCandidate {
  kind: 'candidate';
  /** The JSON line, no newline. */
  text: string;
  origin: LineOrigin;
}

/** An example that may be written, once the ledger has seen it is not a duplicate. */
export interface ScreenedLine extends LineSize {
  kind: 'line';
  /** The JSON line as written (redacted), no newline. */
  text: string;
  /**
   * Its UTF-8 bytes: encoded once, for its size, its hash and the file (encoding was most of what hashing
   * and writing a line cost).
   */
  data: Buffer;
  /** The line's sha256, shortened: identical lines have the same. */
  hash: string;
  origin: LineOrigin;
  /** Secrets replaced in this line; counted into the summary only if it is written. */
  redactions: RedactionCounts;
}

export interface DroppedExample {
  kind: 'dropped';
  reason: DropReason;
  origin: LineOrigin;
  detail: string;
}

/**
 * The builder's example validated and serialized. An invalid one is redacted before its problem is said, so
 * a report never quotes a secret, and is written after all if redaction is what makes it valid.
 *
 * @example lineCandidate(built, lineValidator('openai-sft'))
 */
export function lineCandidate(
  built: DatasetExample,
  validate: LineValidator,
): LineCandidate | DroppedExample {
  const origin: LineOrigin = { source: built.source, conversationId: built.conversationId };
  if (validate(built.value) !== null) {
    // Said of the line as it would be written; valid once redacted, it goes on (screenLine redacts and counts).
    const problem = validate(redactValue(built.value, {}));
    if (problem !== null) return { kind: 'dropped', reason: problem.reason, origin, detail: problem.problem };
  }
  return { kind: 'candidate', text: JSON.stringify(built.value), origin };
}

/**
 * The candidate redacted, encoded, and measured against the token limit.
 *
 * @example screenLine(candidate, lineValidator('openai-sft'), 65_536, new LineTokenCounter())
 */
export function screenLine(
  candidate: LineCandidate,
  validate: LineValidator,
  maxTokens: number,
  counter: LineTokenCounter,
): ScreenedLine | DroppedExample {
  const { origin } = candidate;
  let text = candidate.text;
  const redactions: RedactionCounts = {};
  if (mayHoldSecret(text)) {
    const value = redactValue(JSON.parse(text) as unknown, redactions);
    if (Object.keys(redactions).length > 0) {
      const problem = validate(value);
      if (problem !== null)
        return { kind: 'dropped', reason: problem.reason, origin, detail: problem.problem };
      text = JSON.stringify(value);
    }
  }
  const data = Buffer.from(text);
  const size = lineSize(text, data.length, maxTokens, counter);
  if (size.tokens !== null && size.tokens > maxTokens) {
    return {
      kind: 'dropped',
      reason: 'too-long',
      origin,
      detail: `${size.tokens} tokens, over the limit of ${maxTokens}`,
    };
  }
  const hash = digest('sha256', data, 'base64').slice(0, 22);
  return { kind: 'line', text, data, hash, origin, redactions, ...size };
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
        conversationId: dropped.origin.conversationId,
        source: dropped.origin.source,
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
        origin: line.origin,
        detail: 'the same line was already written',
      });
    }
    this.#seen.add(line.hash);
    const summary = this.summary;
    summary.written += 1;
    const tokens = this.#tally.add(line, line.text);
    summary.tokens = this.#tally.total;
    summary.tokensEstimated = this.#tally.estimated;
    summary.sources[line.origin.source] = (summary.sources[line.origin.source] ?? 0) + 1;
    for (const kind in line.redactions) {
      summary.redactions[kind] = (summary.redactions[kind] ?? 0) + (line.redactions[kind] ?? 0);
    }
    return tokens === line.tokens ? line : { ...line, tokens };
  }
}
