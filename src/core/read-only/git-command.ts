/**
 * `git` with a read-only subcommand and options known to be harmless. The text alone cannot make git safe:
 * the repository's own config can name programs that reading commands run (core.fsmonitor, a clean
 * filter on `git status`, a textconv or external diff on `git diff`, a pager). Those are neutralised where
 * the command runs (src/sandbox/git-safety.ts), which is why the global options that change where git looks
 * (`-C`, `--git-dir`, `--work-tree`) or what config it uses (`-c`, `--config-env`, `--exec-path`) ask.
 * Left out: `--output` (writes), `--ext-diff`, `--textconv`, `--submodule`, `--recurse-submodules`,
 * `--ignore-submodules`, `--remerge-diff`, `--diff-merges`, `--show-signature`, `git grep -O`, and every
 * subcommand not listed (`git remote show` and `git help` run programs too).
 */

import { combine, DIFF_OPTIONS, REVISION_OPTIONS } from './git-options.ts';
import { type CommandRule, noOperands, type OperandRule, withOptions } from './option-reader.ts';

const LOG = combine(DIFF_OPTIONS, REVISION_OPTIONS, { numeric: true });

/** Listing commands that create, rename or delete when given a name without `--list`. */
function listOnly(what: string): OperandRule {
  return (name, read) =>
    read.operands.length === 0 || read.seen.has('-l') || read.seen.has('--list')
      ? null
      : `\`${name} ${read.operands[0]!.text}\` without --list can create ${what}`;
}

const SUBCOMMANDS: Readonly<Record<string, CommandRule>> = {
  status: withOptions({
    flags: 'sbvz',
    optionalValue: 'u',
    long: [
      '--short',
      '--branch',
      '--long',
      '--verbose',
      '--show-stash',
      '--ahead-behind',
      '--no-ahead-behind',
      '--renames',
      '--no-renames',
      '--no-column',
    ],
    longOptionalValue: ['--porcelain', '--untracked-files', '--ignored', '--find-renames', '--column'],
  }),
  log: withOptions(LOG),
  'rev-list': withOptions(combine(LOG, { long: ['--count', '--objects', '--no-object-names'] })),
  show: withOptions(LOG),
  diff: withOptions(
    combine(DIFF_OPTIONS, {
      flags: '0123',
      long: ['--cached', '--staged', '--merge-base', '--no-index', '--base', '--ours', '--theirs'],
    }),
  ),
  blame: withOptions({
    flags: 'bcelnfpstw',
    withValue: 'LS',
    optionalValue: 'MC',
    long: [
      '--root',
      '--show-stats',
      '--porcelain',
      '--line-porcelain',
      '--incremental',
      '--show-name',
      '--show-number',
      '--show-email',
      '--no-textconv',
      '--minimal',
      '--color-lines',
      '--color-by-age',
    ],
    longWithValue: ['--date', '--contents', '--ignore-rev', '--ignore-revs-file', '--encoding'],
    longOptionalValue: ['--abbrev'],
  }),
  'ls-files': withOptions({
    flags: 'cdmoiskuvftz',
    withValue: 'xX',
    long: [
      '--cached',
      '--deleted',
      '--modified',
      '--others',
      '--ignored',
      '--stage',
      '--killed',
      '--unmerged',
      '--directory',
      '--no-empty-directory',
      '--eol',
      '--deduplicate',
      '--full-name',
      '--error-unmatch',
      '--exclude-standard',
    ],
    longWithValue: ['--exclude', '--exclude-from', '--exclude-per-directory', '--with-tree', '--format'],
    longOptionalValue: ['--abbrev'],
  }),
  'ls-tree': withOptions({
    flags: 'drtlz',
    long: ['--long', '--name-only', '--name-status', '--object-only', '--full-name', '--full-tree'],
    longWithValue: ['--format'],
    longOptionalValue: ['--abbrev'],
  }),
  'rev-parse': withOptions({
    flags: 'q',
    long: [
      '--show-toplevel',
      '--show-prefix',
      '--show-cdup',
      '--git-dir',
      '--git-common-dir',
      '--absolute-git-dir',
      '--is-inside-git-dir',
      '--is-inside-work-tree',
      '--is-bare-repository',
      '--is-shallow-repository',
      '--show-superproject-working-tree',
      '--verify',
      '--quiet',
      '--symbolic',
      '--symbolic-full-name',
      '--all',
      '--not',
      '--revs-only',
      '--no-revs',
      '--flags',
      '--no-flags',
    ],
    longWithValue: ['--git-path', '--default'],
    longOptionalValue: [
      '--glob',
      '--exclude',
      '--since',
      '--after',
      '--until',
      '--before',
      '--short',
      '--abbrev-ref',
      '--branches',
      '--tags',
      '--remotes',
      '--show-object-format',
    ],
  }),
  describe: withOptions({
    long: ['--tags', '--all', '--long', '--always', '--contains', '--exact-match', '--first-parent'],
    longWithValue: ['--match', '--exclude', '--candidates'],
    longOptionalValue: ['--abbrev', '--dirty', '--broken'],
  }),
  shortlog: withOptions({
    flags: 'nsec',
    long: ['--numbered', '--summary', '--email', '--committer', '--all', '--no-merges', '--merges'],
    longWithValue: ['--group', '--format'],
    longOptionalValue: ['--since', '--until', '--author'],
  }),
  'cat-file': withOptions({ flags: 'tspe' }),
  grep: withOptions({
    flags: 'iIvwnlLchHEFGPazoqpW',
    withValue: 'efABCm',
    numeric: true,
    long: [
      '--cached',
      '--untracked',
      '--no-index',
      '--no-exclude-standard',
      '--exclude-standard',
      '--text',
      '--ignore-case',
      '--word-regexp',
      '--invert-match',
      '--line-number',
      '--column',
      '--files-with-matches',
      '--name-only',
      '--files-without-match',
      '--count',
      '--full-name',
      '--extended-regexp',
      '--basic-regexp',
      '--fixed-strings',
      '--perl-regexp',
      '--all-match',
      '--and',
      '--or',
      '--not',
      '--heading',
      '--break',
      '--show-function',
      '--function-context',
      '--only-matching',
      '--quiet',
      '--null',
      '--no-color',
    ],
    longWithValue: [
      '--max-depth',
      '--threads',
      '--after-context',
      '--before-context',
      '--context',
      '--max-count',
    ],
    longOptionalValue: ['--color'],
  }),
  branch: withOptions(
    {
      flags: 'arvl',
      long: ['--all', '--remotes', '--verbose', '--list', '--show-current', '--no-color', '--ignore-case'],
      longWithValue: [
        '--sort',
        '--format',
        '--points-at',
        '--merged',
        '--no-merged',
        '--contains',
        '--no-contains',
      ],
      longOptionalValue: ['--color', '--abbrev', '--column'],
    },
    listOnly('a branch'),
  ),
  tag: withOptions(
    {
      flags: 'l',
      optionalValue: 'n',
      long: ['--list', '--ignore-case'],
      longWithValue: [
        '--sort',
        '--format',
        '--points-at',
        '--merged',
        '--no-merged',
        '--contains',
        '--no-contains',
      ],
      longOptionalValue: ['--color', '--column'],
    },
    listOnly('a tag'),
  ),
  remote: withOptions({ flags: 'v', long: ['--verbose'] }, noOperands),
  'show-ref': withOptions({
    flags: 'dsq',
    long: ['--head', '--tags', '--heads', '--verify', '--quiet', '--dereference'],
    longOptionalValue: ['--hash', '--abbrev'],
  }),
  'merge-base': withOptions({
    flags: 'a',
    long: ['--all', '--octopus', '--independent', '--is-ancestor', '--fork-point'],
  }),
  'count-objects': withOptions({ flags: 'vH', long: ['--verbose', '--human-readable'] }, noOperands),
  version: withOptions({ long: ['--build-options'] }, noOperands),
};

/** Global options that change nothing about where git looks, what config it reads or what it runs. */
const GLOBAL_OPTIONS = [
  '--no-pager',
  '-P',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-replace-objects',
];

/** The subcommands the read-only policy lets run; src/sandbox/git-safety.ts turns their pagers off. */
export const READ_ONLY_GIT_SUBCOMMANDS: readonly string[] = Object.keys(SUBCOMMANDS);

export const git: CommandRule = (name, args) => {
  let index = 0;
  while (index < args.length && args[index]!.text.startsWith('-')) {
    const option = args[index]!;
    if (option.pattern) return `\`${name} ${option.text}\`: a file-name pattern that reads as an option`;
    if (option.text === '--version' && args.length === 1) return null;
    if (!GLOBAL_OPTIONS.includes(option.text))
      return `\`${name} ${option.text}\` can change what git reads or runs`;
    index += 1;
  }
  const subcommand = args[index];
  if (subcommand === undefined) return null;
  if (subcommand.pattern) return `\`${name}\` with a file-name pattern as its subcommand`;
  const rule = Object.hasOwn(SUBCOMMANDS, subcommand.text) ? SUBCOMMANDS[subcommand.text] : undefined;
  if (rule === undefined) return `\`${name} ${subcommand.text}\` is not on the read-only list`;
  return rule(`${name} ${subcommand.text}`, args.slice(index + 1));
};
