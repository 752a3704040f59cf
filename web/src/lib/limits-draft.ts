/**
 * A conversation's resource limits as the settings form edits them (issue 7 item 6): one text per limit,
 * empty for the default, checked with the schema the server checks the `limits` setting with, so the page
 * refuses what the server would, with the same bounds.
 */
import {
  DEFAULT_RESOURCE_LIMITS,
  type ResourceLimits,
  ResourceLimitsSchema,
  type ResourceLimitsSetting,
} from '../../../src/core/resource-limits.ts';

export type LimitKey = keyof ResourceLimits;
export type LimitsDraft = Record<LimitKey, string>;
export type LimitErrors = Partial<Record<LimitKey, string>>;

export interface LimitField {
  key: LimitKey;
  label: string;
  /** What the number counts, shown after the field. */
  unit: string;
  /** The input's step: whole numbers except the CPU share. */
  step: number;
  hint: string;
}

export const LIMIT_FIELDS: readonly LimitField[] = [
  {
    key: 'memoryMiB',
    label: 'Memory',
    unit: 'MiB',
    step: 1,
    hint: 'The whole sandbox, files in its /tmp included.',
  },
  {
    key: 'processes',
    label: 'Processes',
    unit: 'processes',
    step: 1,
    hint: 'Processes and threads alive at once.',
  },
  {
    key: 'cpus',
    label: 'CPU share',
    unit: 'CPUs',
    step: 0.01,
    hint: 'Cores’ worth of CPU time; fractions allowed.',
  },
  {
    key: 'cpuTimeSeconds',
    label: 'CPU time',
    unit: 'seconds',
    step: 1,
    hint: 'CPU seconds any one process may use.',
  },
  {
    key: 'fileSizeMiB',
    label: 'File size',
    unit: 'MiB',
    step: 1,
    hint: 'The largest file a command may write.',
  },
  {
    key: 'tmpfsMiB',
    label: 'Temporary space',
    unit: 'MiB',
    step: 1,
    hint: 'Each of /tmp, /var/tmp and the home.',
  },
  {
    key: 'diskMiB',
    label: 'Disk per command',
    unit: 'MiB',
    step: 1,
    hint: 'How much one command may fill the workspace’s disk.',
  },
];

const UNIT_OF = Object.fromEntries(LIMIT_FIELDS.map((field) => [field.key, field.unit])) as Record<
  LimitKey,
  string
>;

/** The form's texts for a saved setting: a limit left to its default is an empty field. */
export function limitsDraft(setting: ResourceLimitsSetting | undefined): LimitsDraft {
  const text = (key: LimitKey) => {
    const value = setting?.[key];
    return value === undefined || value === null ? '' : String(value);
  };
  return {
    processes: text('processes'),
    memoryMiB: text('memoryMiB'),
    cpus: text('cpus'),
    cpuTimeSeconds: text('cpuTimeSeconds'),
    fileSizeMiB: text('fileSizeMiB'),
    tmpfsMiB: text('tmpfsMiB'),
    diskMiB: text('diskMiB'),
  };
}

/**
 * What an empty field means, as its placeholder says it.
 *
 * @example
 * limitPlaceholder('memoryMiB') // 'default: 2048'
 * limitPlaceholder('cpuTimeSeconds') // 'default: none'
 */
export function limitPlaceholder(key: LimitKey): string {
  const value = DEFAULT_RESOURCE_LIMITS[key];
  return `default: ${value === null ? 'none' : value}`;
}

export type LimitsParse = { ok: true; limits: ResourceLimitsSetting } | { ok: false; errors: LimitErrors };

/**
 * The setting the texts stand for, or why a field is refused.
 *
 * @example
 * parseLimitsDraft({ ...limitsDraft(undefined), memoryMiB: '4096' }) // { ok: true, limits: { memoryMiB: 4096 } }
 * parseLimitsDraft({ ...limitsDraft(undefined), memoryMiB: '10' }) // { ok: false, errors: { memoryMiB: 'at least 32 MiB' } }
 */
export function parseLimitsDraft(draft: LimitsDraft): LimitsParse {
  const values: Record<string, number> = {};
  const errors: LimitErrors = {};
  for (const { key } of LIMIT_FIELDS) {
    const text = draft[key].trim();
    if (text === '') continue;
    const value = Number(text);
    if (Number.isFinite(value)) values[key] = value;
    else errors[key] = 'a number, or empty for the default';
  }
  const parsed = ResourceLimitsSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as LimitKey;
      errors[key] ??= describeIssue(issue, UNIT_OF[key] ?? '');
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, limits: parsed.data ?? {} };
}

type Issue = { code: string; message: string; minimum?: unknown; maximum?: unknown; expected?: unknown };

/** The schema's complaint in the words of the form, with the unit the field shows. */
function describeIssue(issue: Issue, unit: string): string {
  if (issue.code === 'too_small') return `at least ${Number(issue.minimum).toLocaleString('en')} ${unit}`;
  if (issue.code === 'too_big') return `at most ${Number(issue.maximum).toLocaleString('en')} ${unit}`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'a whole number';
  return issue.message;
}

/** Whether two settings ask for the same limits (an unset limit and a null CPU time both mean the default). */
export function sameLimits(
  a: ResourceLimitsSetting | undefined,
  b: ResourceLimitsSetting | undefined,
): boolean {
  return LIMIT_FIELDS.every(({ key }) => (a?.[key] ?? null) === (b?.[key] ?? null));
}

/**
 * The field a refused save names (`limits.memoryMiB: Too small: …` comes with field `limits.memoryMiB`), and
 * the message without its field's name, to show beside that field; null for any other field.
 */
export function limitErrorFromServer(
  field: string | undefined,
  message: string,
): { key: LimitKey; message: string } | null {
  const key = field?.startsWith('limits.') ? field.slice('limits.'.length) : undefined;
  const known = LIMIT_FIELDS.find((candidate) => candidate.key === key);
  if (known === undefined) return null;
  const prefix = `${field}: `;
  return { key: known.key, message: message.startsWith(prefix) ? message.slice(prefix.length) : message };
}
