/**
 * The dataset card (issue 9 item 4): the README.md written beside an export, in the Hugging Face hub's
 * convention, so the folder can be pushed to a hub as it is: YAML front matter the hub reads (task and size
 * categories, the data file as the `train` split of the default config), then what a person deciding whether
 * to train on it needs: the format, the counts, where the examples came from, the filters, the date, and
 * what hygiene removed. Pure: the CLI and the export route both call it with the export's summary.
 */
import type { ExportFilters } from '../api/dataset-schemas.ts';
import type { DatasetOptions, TrainingFormat } from './dataset-format.ts';
import { datasetBuilder, type ExportSummary } from './export-dataset.ts';

export interface DatasetCardInput {
  format: TrainingFormat;
  filters: ExportFilters;
  options: DatasetOptions;
  summary: ExportSummary;
  createdAt: Date;
  /** The data file's name beside the card (default `FORMAT.jsonl`). */
  dataFile?: string;
}

/** The hub's size buckets, by number of examples. */
const SIZE_CATEGORIES: [limit: number, name: string][] = [
  [1e3, 'n<1K'],
  [1e4, '1K<n<10K'],
  [1e5, '10K<n<100K'],
  [1e6, '100K<n<1M'],
  [1e7, '1M<n<10M'],
  [1e8, '10M<n<100M'],
  [1e9, '100M<n<1B'],
];

const PREFERENCE_FORMATS: readonly TrainingFormat[] = ['openai-dpo', 'trl-dpo'];

/**
 * @example
 * writeFileSync(join(dir, 'README.md'), datasetCard({ format: 'openai-sft', filters: {}, options, summary, createdAt: new Date() }));
 */
export function datasetCard(input: DatasetCardInput): string {
  const { format, summary } = input;
  const dataFile = input.dataFile ?? `${format}.jsonl`;
  const date = input.createdAt.toISOString();
  const tags = ['modelprogrammer', 'code', 'agent', PREFERENCE_FORMATS.includes(format) ? 'dpo' : 'sft'];
  const front = [
    '---',
    'task_categories:',
    '- text-generation',
    'tags:',
    ...tags.map((tag) => `- ${tag}`),
    'size_categories:',
    `- ${sizeCategory(summary.written)}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    `    path: ${JSON.stringify(dataFile)}`,
    '---',
  ];
  const body = [
    `# ModelProgrammer export: ${format}`,
    '',
    `Supervised programming sessions from ModelProgrammer (\`mp export\`), exported on ${date.slice(0, 10)} as \`${dataFile}\`.`,
    '',
    '## Format',
    '',
    `\`${format}\`: ${datasetBuilder(format).description} One JSON object per line; docs/datasets.md of ModelProgrammer describes every field.`,
    '',
    '## Counts',
    '',
    '| | |',
    '| --- | --- |',
    `| examples written | ${summary.written} |`,
    summary.tokensEstimated
      ? `| tokens (o200k) | about ${summary.tokens} (estimated: counted exactly on one line in ${input.options.countTokensEvery ?? 1}, from their tokens per byte for the rest) |`
      : `| tokens (o200k) | ${summary.tokens} |`,
    ...Object.entries(summary.dropped).map(([reason, count]) => `| dropped: ${reason} | ${count} |`),
    '',
    '## Sources',
    '',
    ...countList(summary.sources, 'No examples were written.'),
    '',
    '## Filters',
    '',
    ...filterLines(input.filters, input.options),
    '',
    '## Date',
    '',
    `Exported ${date}.`,
    '',
    '## Redaction',
    '',
    'Secrets found in the examples (API keys, cloud and git tokens, private keys, passwords in URLs, `.env` lines) were replaced before writing. Replaced, per kind:',
    '',
    ...countList(summary.redactions, 'None found.'),
    ...invalidLines(summary),
    '',
    '## License',
    '',
    'Not set by the export: add a `license:` line to the front matter before publishing.',
    '',
  ];
  return [...front, ...body].join('\n');
}

/** The hub's bucket for `count` examples. */
export function sizeCategory(count: number): string {
  for (const [limit, name] of SIZE_CATEGORIES) if (count < limit) return name;
  return 'n>1B';
}

function countList(counts: Record<string, number>, none: string): string[] {
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return [none];
  return entries.map(([name, count]) => `- \`${name}\`: ${count}`);
}

function filterLines(filters: ExportFilters, options: DatasetOptions): string[] {
  const list = (values: readonly string[] | undefined) =>
    values === undefined || values.length === 0 ? undefined : values.map((value) => code(value)).join(', ');
  const lines = [
    ['conversations', list(filters.conversationIds)],
    ['tags', list(filters.tags)],
    ['ratings', list(filters.ratings)],
    ['outcomes', list(filters.outcomes)],
    ['models', list(filters.models)],
    ['updated since', filters.since === undefined ? undefined : code(filters.since)],
  ]
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `- ${name}: ${value}`);
  return [
    ...(lines.length === 0 ? ['- every conversation (no filter)'] : lines),
    `- messages: ${options.includeUnchecked ? 'checked and unchecked' : 'only checked ones'}, never deleted ones`,
    `- token limit per example: ${options.maxTokens}`,
  ];
}

function invalidLines(summary: ExportSummary): string[] {
  if (summary.invalid.length === 0) return [];
  return [
    '',
    '## Invalid examples (not written)',
    '',
    ...summary.invalid.map(
      (problem) =>
        `- ${code(problem.conversationId)} (${problem.source}): ${problem.problem.replaceAll('\n', ' ')}`,
    ),
  ];
}

/** A Markdown code span that holds any text (a longer fence than any run of backticks inside). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ' ' : ''}${text}${longest > 0 ? ' ' : ''}${fence}`;
}
