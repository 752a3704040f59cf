/**
 * Builtins and small tools that print something about the system. Left out on purpose: `cd` (it changes
 * the shell's state, which an isolated run does not keep), `command`, `builtin`, `exec`, `eval`, `source`,
 * `env` with arguments, `xargs`, `nice`, `timeout`, `time` (they run other programs), `printf -v` and
 * `test -v` (bash evaluates an array subscript in the name: `test -v 'a[$(touch x)]'` runs `touch`).
 */
import type { ShellWord } from '../shell-words.ts';
import { type CommandRule, noOperands, noPatterns, withOptions } from './option-reader.ts';

const anyArguments: CommandRule = () => null;

/** `printf FORMAT [ARG…]`: only `-v` is an option, and it assigns (evaluating subscripts). */
const printf: CommandRule = (name, args) => {
  const first = args[0];
  if (first === undefined) return null;
  if (first.pattern) return `\`${name}\` with a file-name pattern as its format`;
  if (first.text.startsWith('-') && first.text !== '--')
    return `\`${name} ${first.text}\` can assign a variable`;
  return null;
};

const TEST_UNARY = [
  '-b',
  '-c',
  '-d',
  '-e',
  '-f',
  '-g',
  '-h',
  '-k',
  '-L',
  '-n',
  '-p',
  '-r',
  '-s',
  '-S',
  '-u',
  '-w',
  '-x',
  '-z',
  '-O',
  '-G',
  '-N',
];
const TEST_BINARY = ['=', '==', '!=', '-nt', '-ot', '-ef'];

/**
 * `test` in its one-, two- and three-word forms with file and string operators only. Integer comparisons
 * (`-eq`…), `-v`, `-R`, `-o`, `!` and parentheses are left out: which of them evaluate their operands
 * differs between shells and versions.
 */
const test: CommandRule = (name, args) => {
  const patterns = noPatterns(name, args);
  if (patterns !== null) return patterns;
  const words = args.map((word) => word.text);
  const [first, second] = words;
  if (words.length === 0) return null;
  if (words.length === 1 && !first!.startsWith('-')) return null;
  if (words.length === 2 && TEST_UNARY.includes(first!)) return null;
  if (words.length === 3 && TEST_BINARY.includes(second!) && !first!.startsWith('-')) return null;
  return `\`${name} ${words.join(' ')}\` is not a form of test known to be harmless`;
};

/** `date +FORMAT` prints; any other operand sets the clock. */
function dateOperands(name: string, operands: readonly ShellWord[]): string | null {
  const setter = operands.find((operand) => operand.pattern || !operand.text.startsWith('+'));
  return setter === undefined ? null : `\`${name} ${setter.text}\` sets the date`;
}

export const SYSTEM_COMMANDS: Readonly<Record<string, CommandRule>> = {
  echo: anyArguments,
  printf,
  true: anyArguments,
  false: anyArguments,
  test,
  which: withOptions({ flags: 'as' }),
  type: withOptions({ flags: 'aftpP' }),
  whoami: withOptions({}, noOperands),
  id: withOptions({
    flags: 'agGnruzZ',
    long: ['--group', '--groups', '--name', '--real', '--user', '--zero', '--context'],
  }),
  groups: withOptions({}),
  uname: withOptions(
    {
      flags: 'asnrvmpio',
      long: [
        '--all',
        '--kernel-name',
        '--nodename',
        '--kernel-release',
        '--kernel-version',
        '--machine',
        '--processor',
        '--hardware-platform',
        '--operating-system',
      ],
    },
    noOperands,
  ),
  // An operand, or -F/--file, sets the host name.
  hostname: withOptions(
    {
      flags: 'aAdfiIsy',
      long: [
        '--alias',
        '--all-fqdns',
        '--domain',
        '--fqdn',
        '--long',
        '--ip-address',
        '--all-ip-addresses',
        '--short',
        '--yp',
        '--nis',
      ],
    },
    noOperands,
  ),
  date: withOptions(
    {
      flags: 'uR',
      withValue: 'dfr',
      optionalValue: 'I',
      long: ['--utc', '--universal', '--rfc-email', '--debug'],
      longWithValue: ['--date', '--file', '--reference', '--rfc-3339'],
      longOptionalValue: ['--iso-8601'],
    },
    (name, read) => dateOperands(name, read.operands),
  ),
  env: (name, args) => (args.length === 0 ? null : `\`${name}\` with arguments can run another program`),
  printenv: withOptions({ flags: '0', long: ['--null'] }),
  nproc: withOptions({ long: ['--all'], longWithValue: ['--ignore'] }, noOperands),
  uptime: withOptions({ flags: 'ps', long: ['--pretty', '--since'] }, noOperands),
  free: withOptions(
    {
      // -s/--seconds repeats forever.
      flags: 'bkmghltvw',
      long: [
        '--bytes',
        '--kilo',
        '--mega',
        '--giga',
        '--tera',
        '--peta',
        '--kibi',
        '--mebi',
        '--gibi',
        '--tebi',
        '--pebi',
        '--human',
        '--si',
        '--lohi',
        '--total',
        '--committed',
        '--wide',
      ],
    },
    noOperands,
  ),
  // BSD-style words (`ps aux`) are operands to this reader; only those letters are allowed.
  ps: withOptions(
    {
      flags: 'AaefFHjlLTwxy',
      withValue: 'opuUCgGtsq',
      long: ['--forest', '--no-headers', '--headers'],
      longWithValue: [
        '--format',
        '--pid',
        '--ppid',
        '--user',
        '--User',
        '--group',
        '--Group',
        '--sort',
        '--cols',
        '--columns',
        '--width',
        '--lines',
        '--rows',
      ],
    },
    (name, read) => {
      const other = read.operands.find(
        (operand) => operand.pattern || !/^[auxwefjlHTr]+$/.test(operand.text),
      );
      return other === undefined ? null : `\`${name} ${other.text}\` is not an option known to be harmless`;
    },
  ),
};
