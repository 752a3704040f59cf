/**
 * Commands that compare, transform or dump text onto stdout; the searches (grep, rg) are in
 * search-commands.ts. Left out on purpose: `sort -o`/`--output`/`-T`/`--compress-program` (write files or
 * run one), `diff -l` (runs `pr`), `jq -L` (loads modules from a folder), and every option not listed here.
 */
import { atMostOperands, type CommandRule, type OptionSpec, withOptions } from './option-reader.ts';

const SUMS: OptionSpec = {
  flags: 'bctwz',
  long: [
    '--binary',
    '--check',
    '--tag',
    '--text',
    '--zero',
    '--ignore-missing',
    '--quiet',
    '--status',
    '--strict',
    '--warn',
  ],
};

const DIFF: OptionSpec = {
  flags: 'abBcdeEfiNnpqrsStTuwyZ',
  withValue: 'CDFIUWxXS',
  long: [
    '--text',
    '--ignore-space-change',
    '--ignore-blank-lines',
    '--minimal',
    '--ed',
    '--ignore-tab-expansion',
    '--ignore-case',
    '--new-file',
    '--unidirectional-new-file',
    '--rcs',
    '--show-c-function',
    '--brief',
    '--recursive',
    '--report-identical-files',
    '--expand-tabs',
    '--initial-tab',
    '--ignore-all-space',
    '--ignore-trailing-space',
    '--side-by-side',
    '--left-column',
    '--suppress-common-lines',
    '--suppress-blank-empty',
    '--strip-trailing-cr',
    '--normal',
    '--no-dereference',
    '--speed-large-files',
  ],
  longWithValue: [
    '--show-function-line',
    '--ignore-matching-lines',
    '--label',
    '--width',
    '--tabsize',
    '--exclude',
    '--exclude-from',
    '--starting-file',
    '--from-file',
    '--to-file',
    '--line-format',
    '--old-line-format',
    '--new-line-format',
    '--unchanged-line-format',
    '--old-group-format',
    '--new-group-format',
    '--changed-group-format',
    '--unchanged-group-format',
    '--horizon-lines',
    '--ifdef',
    '--palette',
  ],
  longOptionalValue: ['--unified', '--context', '--color'],
};

const SORT: OptionSpec = {
  flags: 'bdfghiMnRrVcCmsuz',
  withValue: 'ktS',
  long: [
    '--ignore-leading-blanks',
    '--dictionary-order',
    '--ignore-case',
    '--general-numeric-sort',
    '--human-numeric-sort',
    '--ignore-nonprinting',
    '--month-sort',
    '--numeric-sort',
    '--random-sort',
    '--reverse',
    '--version-sort',
    '--merge',
    '--stable',
    '--unique',
    '--zero-terminated',
    '--debug',
  ],
  longWithValue: [
    '--key',
    '--field-separator',
    '--buffer-size',
    '--parallel',
    '--random-source',
    '--files0-from',
    '--sort',
  ],
  longOptionalValue: ['--check'],
};

/**
 * binutils expands any argument `@FILE`, option values too, into more options read from FILE, which the
 * reader cannot see; a pattern that may match such a name (it starts with `*`, `?` or `@`) asks too.
 */
function noResponseFiles(rule: CommandRule): CommandRule {
  return (name, args) => {
    const word = args.find((arg) => /^[@*?]/.test(arg.text));
    return word === undefined
      ? rule(name, args)
      : `\`${name} ${word.text}\` can read more options from a file`;
  };
}

export const TEXT_COMMANDS: Readonly<Record<string, CommandRule>> = {
  sort: withOptions(SORT),
  // `uniq in out` writes `out`.
  uniq: withOptions(
    {
      flags: 'cdDiuz',
      withValue: 'fsw',
      long: ['--count', '--repeated', '--ignore-case', '--unique', '--zero-terminated'],
      longWithValue: ['--skip-fields', '--skip-chars', '--check-chars'],
      longOptionalValue: ['--all-repeated', '--group'],
    },
    atMostOperands(1, 'a second file name writes that file'),
  ),
  cut: withOptions({
    flags: 'nsz',
    withValue: 'bcdf',
    long: ['--complement', '--only-delimited', '--zero-terminated'],
    longWithValue: ['--bytes', '--characters', '--delimiter', '--fields', '--output-delimiter'],
  }),
  tr: withOptions({
    flags: 'cCdst',
    long: ['--complement', '--delete', '--squeeze-repeats', '--truncate-set1'],
  }),
  nl: withOptions({
    flags: 'p',
    withValue: 'bdfhilnsvw',
    long: ['--no-renumber'],
    longWithValue: [
      '--body-numbering',
      '--section-delimiter',
      '--footer-numbering',
      '--header-numbering',
      '--line-increment',
      '--join-blank-lines',
      '--number-format',
      '--number-separator',
      '--starting-line-number',
      '--number-width',
    ],
  }),
  tac: withOptions({
    flags: 'br',
    withValue: 's',
    long: ['--before', '--regex'],
    longWithValue: ['--separator'],
  }),
  rev: withOptions({}),
  diff: withOptions(DIFF),
  cmp: withOptions({
    flags: 'blsz',
    withValue: 'in',
    long: ['--print-bytes', '--verbose', '--quiet', '--silent', '--zero-terminated'],
    longWithValue: ['--ignore-initial', '--bytes'],
  }),
  comm: withOptions({
    flags: '123z',
    long: ['--check-order', '--nocheck-order', '--total', '--zero-terminated'],
    longWithValue: ['--output-delimiter'],
  }),
  column: withOptions({
    flags: 'tJLxed',
    withValue: 'csoNlRHWEn',
    long: ['--table', '--fillrows', '--json', '--keep-empty-lines', '--table-noheadings'],
    longWithValue: [
      '--columns',
      '--separator',
      '--output-separator',
      '--table-columns',
      '--table-name',
      '--table-right',
      '--table-hide',
      '--table-wrap',
      '--table-truncate',
    ],
  }),
  jq: withOptions({
    flags: 'rjcnseSCMaR',
    long: [
      '--raw-output',
      '--join-output',
      '--compact-output',
      '--null-input',
      '--slurp',
      '--exit-status',
      '--sort-keys',
      '--color-output',
      '--monochrome-output',
      '--ascii-output',
      '--raw-input',
      '--tab',
      '--seq',
      '--stream',
    ],
    longWithValue: ['--indent'],
  }),
  od: withOptions({
    flags: 'abcdfilosvx',
    withValue: 'AjNtS',
    optionalValue: 'w',
    long: ['--output-duplicates', '--traditional'],
    longWithValue: ['--address-radix', '--skip-bytes', '--read-bytes', '--format', '--endian'],
    // Optional values are attached only (`--strings=4`): a next word is never hidden as their value.
    longOptionalValue: ['--width', '--strings'],
  }),
  hexdump: withOptions({
    flags: 'bcCdovx',
    withValue: 'efns',
    long: [
      '--one-byte-octal',
      '--one-byte-char',
      '--canonical',
      '--two-bytes-decimal',
      '--two-bytes-octal',
      '--two-bytes-hex',
      '--no-squeezing',
    ],
    longWithValue: ['--format', '--format-file', '--length', '--skip'],
    longOptionalValue: ['--color'],
  }),
  strings: noResponseFiles(
    withOptions({
      flags: 'afdw',
      withValue: 'ntes',
      numeric: true,
      long: ['--all', '--print-file-name', '--data', '--include-all-whitespace'],
      longWithValue: ['--bytes', '--radix', '--encoding', '--output-separator'],
    }),
  ),
  md5sum: withOptions(SUMS),
  sha1sum: withOptions(SUMS),
  sha256sum: withOptions(SUMS),
  sha512sum: withOptions(SUMS),
  cksum: withOptions({
    ...SUMS,
    withValue: 'al',
    longWithValue: ['--algorithm', '--length'],
    long: [...(SUMS.long ?? []), '--base64', '--raw', '--untagged'],
  }),
};
