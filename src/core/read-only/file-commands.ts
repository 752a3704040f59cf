/**
 * Commands that list, read or describe files. Each has the options known to be harmless and nothing else:
 * an option left out (`tail -f`, which never ends; `file -C`, which writes; `file -z`, which may run a
 * decompressor; `tree -o`, which writes) asks.
 */
import { atMostOperands, type CommandRule, noOperands, withOptions } from './option-reader.ts';

export const FILE_COMMANDS: Readonly<Record<string, CommandRule>> = {
  ls: withOptions({
    flags: '1aAbBcCdfFghiklLmnNopqQrRsStuUvxXZ',
    withValue: 'ITw',
    long: [
      '--all',
      '--almost-all',
      '--author',
      '--escape',
      '--directory',
      '--dired',
      '--classify',
      '--file-type',
      '--full-time',
      '--group-directories-first',
      '--no-group',
      '--human-readable',
      '--si',
      '--dereference-command-line',
      '--dereference-command-line-symlink-to-dir',
      '--ignore-backups',
      '--inode',
      '--kibibytes',
      '--dereference',
      '--numeric-uid-gid',
      '--literal',
      '--hide-control-chars',
      '--show-control-chars',
      '--quote-name',
      '--reverse',
      '--recursive',
      '--size',
      '--context',
      '--zero',
    ],
    longWithValue: [
      '--block-size',
      '--format',
      '--hide',
      '--ignore',
      '--indicator-style',
      '--quoting-style',
      '--sort',
      '--time',
      '--time-style',
      '--tabsize',
      '--width',
    ],
    longOptionalValue: ['--color', '--hyperlink'],
  }),
  cat: withOptions({
    flags: 'AbeEnstTuv',
    long: [
      '--show-all',
      '--number-nonblank',
      '--show-ends',
      '--number',
      '--squeeze-blank',
      '--show-tabs',
      '--show-nonprinting',
    ],
  }),
  head: withOptions({
    flags: 'qvz',
    withValue: 'nc',
    numeric: true,
    long: ['--quiet', '--silent', '--verbose', '--zero-terminated'],
    longWithValue: ['--lines', '--bytes'],
  }),
  tail: withOptions({
    flags: 'qvz',
    withValue: 'nc',
    numeric: true,
    long: ['--quiet', '--silent', '--verbose', '--zero-terminated'],
    longWithValue: ['--lines', '--bytes'],
  }),
  wc: withOptions({
    flags: 'cmlLw',
    long: ['--bytes', '--chars', '--lines', '--max-line-length', '--words'],
    longWithValue: ['--files0-from', '--total'],
  }),
  stat: withOptions({
    flags: 'Lft',
    withValue: 'c',
    long: ['--dereference', '--file-system', '--terse'],
    longWithValue: ['--format', '--printf', '--cached'],
  }),
  du: withOptions({
    flags: '0abchklmsxDHLPS',
    withValue: 'dBtX',
    long: [
      '--null',
      '--all',
      '--apparent-size',
      '--bytes',
      '--total',
      '--dereference-args',
      '--human-readable',
      '--inodes',
      '--dereference',
      '--count-links',
      '--no-dereference',
      '--separate-dirs',
      '--si',
      '--summarize',
      '--one-file-system',
    ],
    longWithValue: [
      '--max-depth',
      '--block-size',
      '--threshold',
      '--exclude',
      '--exclude-from',
      '--files0-from',
    ],
    longOptionalValue: ['--time', '--time-style'],
  }),
  df: withOptions({
    flags: 'ahHiklPT',
    withValue: 'Btx',
    long: [
      '--all',
      '--human-readable',
      '--si',
      '--inodes',
      '--local',
      '--portability',
      '--print-type',
      '--total',
    ],
    longWithValue: ['--block-size', '--type', '--exclude-type'],
    // df's --output names the columns to print, not a file.
    longOptionalValue: ['--output'],
  }),
  file: withOptions({
    // -p/--preserve-date sets the file's times back after reading it (utimes): a write, and it moves ctime.
    flags: '0bdhiklLNnrsS',
    withValue: 'efFmP',
    long: [
      '--brief',
      '--dereference',
      '--no-dereference',
      '--mime',
      '--mime-type',
      '--mime-encoding',
      '--keep-going',
      '--no-buffer',
      '--no-pad',
      '--raw',
      '--special-files',
      '--print0',
      '--extension',
    ],
    longWithValue: [
      '--exclude',
      '--exclude-quiet',
      '--separator',
      '--files-from',
      '--magic-file',
      '--parameter',
    ],
  }),
  // tree's own parser, not getopt: older versions do not know `--`, so a name after it may be an option.
  tree: withOptions(
    {
      flags: 'adfilqNQpugshDFvtcUrxACSnJ',
      withValue: 'LPI',
      clusterValuesFollow: true,
      long: [
        '--noreport',
        '--dirsfirst',
        '--filesfirst',
        '--gitignore',
        '--du',
        '--prune',
        '--matchdirs',
        '--ignore-case',
        '--inodes',
        '--device',
      ],
      longWithValue: ['--filelimit', '--timefmt', '--sort', '--charset'],
    },
    (name, read) => {
      const dashed = read.operands.find((operand) => operand.text.startsWith('-') && operand.text !== '-');
      return dashed === undefined ? null : `\`${name} ${dashed.text}\` may be read as an option`;
    },
  ),
  basename: withOptions({
    flags: 'az',
    withValue: 's',
    long: ['--multiple', '--zero'],
    longWithValue: ['--suffix'],
  }),
  dirname: withOptions({ flags: 'z', long: ['--zero'] }),
  realpath: withOptions({
    flags: 'emLPqsz',
    long: [
      '--canonicalize-existing',
      '--canonicalize-missing',
      '--logical',
      '--physical',
      '--quiet',
      '--strip',
      '--no-symlinks',
      '--zero',
    ],
    longWithValue: ['--relative-to', '--relative-base'],
  }),
  readlink: withOptions({
    flags: 'femnqsvz',
    long: [
      '--canonicalize',
      '--canonicalize-existing',
      '--canonicalize-missing',
      '--no-newline',
      '--quiet',
      '--silent',
      '--verbose',
      '--zero',
    ],
  }),
  pwd: withOptions({ flags: 'LP' }, noOperands),
  // A second operand is the file xxd writes, and any option starting with `-r` reverts (xxd matches prefixes).
  xxd: xxdRule(),
};

const XXD_FLAGS = [
  '-a',
  '-autoskip',
  '-b',
  '-bits',
  '-C',
  '-capitalize',
  '-E',
  '-EBCDIC',
  '-e',
  '-i',
  '-include',
  '-p',
  '-ps',
  '-postscript',
  '-plain',
  '-u',
  '-d',
];
const XXD_WITH_VALUE = [
  '-c',
  '-cols',
  '-g',
  '-groupsize',
  '-l',
  '-len',
  '-o',
  '-offset',
  '-s',
  '-seek',
  '-n',
  '-name',
];

function xxdRule(): CommandRule {
  const operandCount = atMostOperands(1, 'a second file name writes that file');
  return (name, args) => {
    const operands = [];
    for (let index = 0; index < args.length; index += 1) {
      const word = args[index]!;
      if (operands.length === 0 && word.text.startsWith('-') && word.text !== '-') {
        if (word.pattern) return `\`${name} ${word.text}\`: a file-name pattern that reads as an option`;
        if (XXD_FLAGS.includes(word.text)) continue;
        if (
          XXD_WITH_VALUE.includes(word.text) &&
          args[index + 1] !== undefined &&
          !args[index + 1]!.pattern
        ) {
          index += 1;
          continue;
        }
        return `\`${name} ${word.text}\` is not an option known to be harmless`;
      }
      // xxd reads options only before its operands: anything after is a file name, which the count judges.
      operands.push(word);
    }
    return operandCount(name, { operands, seen: new Set() });
  };
}
