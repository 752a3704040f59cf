/**
 * `mp export` (issue 9 item 4): a dataset file from the store, streamed. Lines go to FILE.partial, renamed
 * to FILE only once the export has finished, so a file under the asked-for name is always a whole export; a
 * dataset card (README.md) goes beside it. Memory stays one page of conversation records (dataset-source.ts)
 * and one write buffer, however large the database. Bad input (a format, a date, a path that cannot be
 * written) is one `mp:` line before the store is even opened.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ExportFilters, ExportFiltersSchema } from '../core/api/dataset-schemas.ts';
import { datasetCard } from '../core/datasets/dataset-card.ts';
import {
  DATASET_FORMATS,
  type DatasetFormat,
  type DatasetOptions,
  type TrainingFormat,
} from '../core/datasets/dataset-format.ts';
import { DEFAULT_MAX_TOKENS, type ExportSummary, exportCandidates } from '../core/datasets/export-dataset.ts';
import { AppError } from '../core/errors.ts';
import type { CopiedTable } from '../store/copy-store.ts';
import type { Store } from '../store/store.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import { ExportLineThread } from './export-line-thread.ts';
import { resolveDataDir } from './paths.ts';
import { progressBar } from './progress-bar.ts';
import { chooseStore, DATABASE_FLAG, DATABASE_FLAG_HELP } from './store-choice.ts';

interface ExportFlags {
  format: string;
  out: string;
  dataDir?: string;
  database?: string;
  conversation: string[];
  tag: string[];
  rating: string[];
  outcome: string[];
  since?: string;
  model: string[];
  includeUnchecked?: boolean;
  maxTokens?: string;
}

/** What a command line asked for, checked. */
export interface ExportPlan {
  format: DatasetFormat;
  out: string;
  filters: ExportFilters;
  options: DatasetOptions;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'write a dataset (JSON lines) from the stored conversations, with a dataset card (README.md) beside it',
    )
    .requiredOption('--format <format>', `one of ${DATASET_FORMATS.join(', ')}`)
    .requiredOption('--out <file>', 'the file to write (written as FILE.partial, renamed when complete)')
    .option('--data-dir <dir>', 'where the database lives (default MP_DATA_DIR or the XDG data dir)')
    .option(DATABASE_FLAG, DATABASE_FLAG_HELP)
    .option('--conversation <id>', 'only this conversation (repeat for more)', collect, [])
    .option(
      '--tag <tag>',
      'only conversations tagged so, on themselves or a message or proposal (repeat: any)',
      collect,
      [],
    )
    .option(
      '--rating <good|bad>',
      'only conversations with a message or proposal rated so (repeat: any)',
      collect,
      [],
    )
    .option(
      '--outcome <solved|failed|abandoned>',
      'only conversations with this outcome (repeat: any)',
      collect,
      [],
    )
    .option('--since <date>', 'only conversations changed since this date (2026-11-30 or an ISO date-time)')
    .option('--model <model>', 'only conversations with a call to this model (repeat: any)', collect, [])
    .option('--include-unchecked', 'take unchecked messages too (deleted ones never)')
    .option('--max-tokens <n>', 'drop examples over this many tokens (default per format)')
    .action(async (flags: ExportFlags) => {
      const plan = exportPlan(flags);
      const partial = `${plan.out}.partial`;
      const fd = openOutput(partial);
      // Started first, so the line thread loads its modules and the tokenizer while this one loads the store's.
      const lines = plan.format === 'dump' ? null : new ExportLineThread(plan.format, fd);
      const store = await openStore(flags).catch(async (error: unknown) => {
        await lines?.close();
        closeSync(fd);
        rmSync(partial, { force: true });
        throw error;
      });
      try {
        const result =
          lines === null || plan.format === 'dump'
            ? await writeDump(store, fd)
            : await writeDataset(store, lines, { ...plan, format: plan.format });
        closeSync(fd);
        renameSync(partial, plan.out);
        console.log(result);
      } catch (error) {
        await lines?.close();
        closeSync(fd);
        rmSync(partial, { force: true });
        throw error;
      } finally {
        await store.close();
      }
    });
}

/**
 * The flags checked into an export, or an AppError saying what to write instead.
 *
 * @example
 * exportPlan({ format: 'trl-sft', out: 'x.jsonl', conversation: [], tag: ['fixed'], rating: [], outcome: [], model: [] })
 */
export function exportPlan(flags: ExportFlags): ExportPlan {
  if (!(DATASET_FORMATS as readonly string[]).includes(flags.format)) {
    throw new AppError(
      'bad_format',
      `--format: ${flags.format} is not a format; use one of ${DATASET_FORMATS.join(', ')}`,
    );
  }
  const format = flags.format as DatasetFormat;
  const parsed = ExportFiltersSchema.safeParse({
    ...(flags.conversation.length > 0 ? { conversationIds: flags.conversation } : {}),
    ...(flags.tag.length > 0 ? { tags: flags.tag } : {}),
    ...(flags.rating.length > 0 ? { ratings: flags.rating } : {}),
    ...(flags.outcome.length > 0 ? { outcomes: flags.outcome } : {}),
    ...(flags.model.length > 0 ? { models: flags.model } : {}),
    ...(flags.since === undefined ? {} : { since: flags.since }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = FLAG_OF[String(issue.path[0])] ?? String(issue.path[0]);
    throw new AppError('bad_filter', `${flag}: ${issue.message}`);
  }
  const filters = parsed.data;
  if (format === 'dump' && Object.keys(filters).length + (flags.includeUnchecked ? 1 : 0) > 0) {
    throw new AppError(
      'bad_filter',
      '--format dump writes every table whole (for backup and merging); filters and --include-unchecked apply to the training formats',
    );
  }
  const maxTokens = flags.maxTokens === undefined ? undefined : Number(flags.maxTokens);
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new AppError('bad_max_tokens', `--max-tokens: ${flags.maxTokens} is not a positive whole number`);
  }
  return {
    format,
    out: resolve(flags.out),
    filters,
    options: {
      includeUnchecked: flags.includeUnchecked === true,
      maxTokens: maxTokens ?? (format === 'dump' ? 0 : DEFAULT_MAX_TOKENS[format]),
    },
  };
}

const FLAG_OF: Record<string, string> = {
  conversationIds: '--conversation',
  tags: '--tag',
  ratings: '--rating',
  outcomes: '--outcome',
  models: '--model',
  since: '--since',
};

/** Opened before the store, so an unwritable path is said before anything else happens. */
function openOutput(path: string): number {
  try {
    return openSync(path, 'w', 0o600);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new AppError(
      'unwritable_output',
      `--out: cannot write ${path} (${reason}); name a file in a folder that exists and that you may write to`,
    );
  }
}

/** The store's modules are loaded here, not with the command: see the line thread above. */
async function openStore(flags: ExportFlags): Promise<Store> {
  const { Store } = await import('../store/store.ts');
  // An export only reads: no background search batch is wanted in a command that exits.
  return Store.open(chooseStore(flags.database), {
    dataDir: resolveDataDir(flags.dataDir),
    searchIndexDelayMs: 60_000,
  });
}

/**
 * Exports of up to this many messages count every line's tokens; larger ones count one line in
 * TOKEN_SAMPLE_EVERY (625 lines for 1,000,000 messages in 20,000 conversations) and estimate the rest, and
 * the summary and the card say so: exact counting runs at about 30 MB of text a second, slower than all the
 * rest of an export together (bench/RESULTS.md, "export").
 */
const EXACT_TOKENS_UP_TO_MESSAGES = 100_000;
const TOKEN_SAMPLE_EVERY = 32;

async function writeDataset(
  store: Store,
  lines: ExportLineThread,
  plan: ExportPlan & { format: TrainingFormat },
): Promise<string> {
  const { countDataset, datasetRecords } = await import('../store/dataset-source.ts');
  const createdAt = new Date();
  const { conversations: total, messages } = await countDataset(store.database, plan.filters);
  const options: DatasetOptions = {
    ...plan.options,
    countTokensEvery: messages > EXACT_TOKENS_UP_TO_MESSAGES ? TOKEN_SAMPLE_EVERY : 1,
  };
  const progress = progressBar('Exporting {bar} {value}/{total} conversations');
  lines.start(options);
  let done = 0;
  progress.update(0, total);
  async function* counted() {
    // Nothing else runs in this process: no turns for the event loop between pages, which keeps the heap smaller.
    for await (const record of datasetRecords(store.database, plan.filters, { shareEventLoop: false })) {
      yield record;
      progress.update(++done, total);
    }
  }
  let written: { summary: ExportSummary; bytes: number };
  try {
    for await (const candidate of exportCandidates(plan.format, counted(), options))
      await lines.take(candidate);
    written = await lines.finish();
  } finally {
    progress.stop();
  }
  const card = writeCard({ ...plan, options }, written.summary, createdAt);
  return exportReport(plan, written.summary, { conversations: total, bytes: written.bytes, card });
}

/**
 * README.md beside the file; a README.md that is not an earlier export's card is left alone and the card
 * goes to FILE.README.md instead.
 */
function writeCard(
  plan: ExportPlan & { format: TrainingFormat },
  summary: ExportSummary,
  createdAt: Date,
): string {
  const beside = join(dirname(plan.out), 'README.md');
  const ours = !existsSync(beside) || readFileSync(beside, 'utf8').includes('\n# ModelProgrammer export: ');
  const path = ours ? beside : `${plan.out}.README.md`;
  writeFileSync(
    path,
    datasetCard({
      format: plan.format,
      filters: plan.filters,
      options: plan.options,
      summary,
      createdAt,
      dataFile: basename(plan.out),
    }),
  );
  return path;
}

/**
 * The summary a person reads at the end.
 *
 * @example
 * exportReport(plan, summary, { conversations: 12, bytes: 40960, card: '/out/README.md' })
 * // "Exported 34 examples (openai-sft) from 12 conversations to /out/data.jsonl (40.0 KiB, 9120 tokens) …"
 */
export function exportReport(
  plan: ExportPlan,
  summary: ExportSummary,
  written: { conversations: number; bytes: number; card: string },
): string {
  const dropped = Object.entries(summary.dropped).filter(([, count]) => count > 0);
  const lines = [
    `Exported ${summary.written} examples (${plan.format}) from ${written.conversations} conversations to ${plan.out} (${size(written.bytes)}, ${tokenText(summary)})`,
    `  dropped:    ${dropped.length === 0 ? 'none' : dropped.map(([reason, count]) => `${count} ${reason}`).join(', ')}`,
    `  redacted:   ${countText(summary.redactions)}`,
    `  sources:    ${countText(summary.sources)}`,
    ...summary.invalid
      .slice(0, 5)
      .map((problem) => `  invalid:    ${problem.conversationId} (${problem.source}): ${problem.problem}`),
    `  card:       ${written.card}`,
  ];
  return lines.join('\n');
}

function tokenText(summary: ExportSummary): string {
  return summary.tokensEstimated
    ? `about ${summary.tokens} tokens, estimated from a sample of the lines`
    : `${summary.tokens} tokens`;
}

function countText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  return entries.length === 0 ? 'none' : entries.map(([name, count]) => `${count} ${name}`).join(', ');
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function writeDump(store: Store, fd: number): Promise<string> {
  const { dumpLines } = await import('../store/dump.ts');
  const { COPIED_TABLES } = await import('../store/copy-store.ts');
  const progress = progressBar('Dumping {stage} {bar} {value}/{total}');
  const writer = new ChunkedWriter(fd);
  const rows = Object.fromEntries(COPIED_TABLES.map((table) => [table, 0])) as Record<CopiedTable, number>;
  try {
    for await (const line of dumpLines(store, {
      onProgress: ({ table, done, total }) => {
        rows[table] = done;
        progress.update(done, total, table);
      },
    })) {
      writer.line(line);
    }
    writer.flush();
  } finally {
    progress.stop();
  }
  const counts = COPIED_TABLES.filter((table) => rows[table] > 0).map((table) => `${rows[table]} ${table}`);
  return `Dumped ${counts.length === 0 ? 'an empty store' : counts.join(', ')} (${size(writer.bytes)}); read it back with mp import dump FILE`;
}
