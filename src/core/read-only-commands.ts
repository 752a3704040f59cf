/**
 * The allowlist behind the `read-only` approval policy: commands that only read, each with the options
 * that would make it write a file or run another program. It judges the text of a command, not what it
 * will do, so it is a convenience inside a sandbox and never a security boundary (docs/sandbox.md).
 */
import type { Redirection, SimpleCommand } from './shell-words.ts';

/** Null when the arguments keep the command read-only, else why not. */
type ArgumentRule = (name: string, args: readonly string[]) => string | null;

const anyArguments: ArgumentRule = () => null;

function isShortCluster(argument: string): boolean {
  return argument.startsWith('-') && !argument.startsWith('--') && argument.length > 1;
}

/**
 * Refuses long options (`--output`, `--output=x`) and short letters anywhere in a cluster (`-o`, `-ro`),
 * which over-refuses a little (a letter inside an option's value) in exchange for never missing one.
 */
function forbidOptions(options: { long?: string[]; short?: string; words?: string[] }): ArgumentRule {
  return (name, args) => {
    for (const argument of args) {
      if (argument === '--') break;
      const long = options.long?.find((option) => argument === option || argument.startsWith(`${option}=`));
      if (long !== undefined) return `\`${name} ${long}\` can write files or run programs`;
      if (options.words?.includes(argument)) return `\`${name} ${argument}\` can write files or run programs`;
      if (options.short !== undefined && isShortCluster(argument)) {
        const letter = [...options.short].find((option) => argument.includes(option));
        if (letter !== undefined) return `\`${name} -${letter}\` can write files or run programs`;
      }
    }
    return null;
  };
}

function positionals(args: readonly string[]): string[] {
  const dashDash = args.indexOf('--');
  const before = dashDash === -1 ? args : args.slice(0, dashDash);
  const after = dashDash === -1 ? [] : args.slice(dashDash + 1);
  return [...before.filter((argument) => !argument.startsWith('-') || argument === '-'), ...after];
}

function atMostPositionals(count: number, why: string): ArgumentRule {
  return (name, args) => (positionals(args).length > count ? `\`${name}\` with ${why}` : null);
}

function allOf(...rules: ArgumentRule[]): ArgumentRule {
  return (name, args) => {
    for (const rule of rules) {
      const problem = rule(name, args);
      if (problem !== null) return problem;
    }
    return null;
  };
}

const noArguments: ArgumentRule = (name, args) =>
  args.length === 0 ? null : `\`${name}\` with arguments can run another program`;

const gitReadingSubcommands: Record<string, ArgumentRule> = {
  status: anyArguments,
  log: forbidOptions({ long: ['--output', '--ext-diff'] }),
  diff: forbidOptions({ long: ['--output', '--ext-diff'] }),
  show: forbidOptions({ long: ['--output', '--ext-diff'] }),
  blame: anyArguments,
  'ls-files': anyArguments,
  'ls-tree': anyArguments,
  'rev-parse': anyArguments,
  describe: anyArguments,
  shortlog: anyArguments,
  'cat-file': anyArguments,
  grep: forbidOptions({ long: ['--open-files-in-pager'], short: 'O' }),
  branch: (name, args) =>
    args.every((argument) =>
      ['-a', '-r', '-v', '-vv', '--all', '--remotes', '--verbose', '--list', '--show-current'].includes(
        argument,
      ),
    )
      ? null
      : `\`${name}\` with these arguments can create, rename or delete branches`,
  remote: (name, args) =>
    args.every((argument) => argument === '-v' || argument === '--verbose')
      ? null
      : `\`${name}\` with these arguments can change remotes`,
  tag: (name, args) =>
    args.length === 0 || args.includes('-l') || args.includes('--list')
      ? null
      : `\`${name}\` with arguments can create tags`,
};

const git: ArgumentRule = (name, args) => {
  let index = 0;
  // Global options such as `-c core.pager=…` or `--exec-path` can make any subcommand run a program.
  while (index < args.length && args[index]!.startsWith('-')) {
    const option = args[index]!;
    if (option === '--no-pager') index += 1;
    else if (option === '-C' && index + 1 < args.length) index += 2;
    else return `\`${name} ${option}\` can change what git runs`;
  }
  const subcommand = args[index];
  if (subcommand === undefined) return null;
  const rule = gitReadingSubcommands[subcommand];
  if (rule === undefined) return `\`${name} ${subcommand}\` is not on the read-only list`;
  return rule(`${name} ${subcommand}`, args.slice(index + 1));
};

export const READ_ONLY_COMMANDS: Readonly<Record<string, ArgumentRule>> = {
  ls: anyArguments,
  cat: anyArguments,
  head: anyArguments,
  tail: anyArguments,
  wc: anyArguments,
  pwd: anyArguments,
  echo: anyArguments,
  printf: anyArguments,
  grep: anyArguments,
  egrep: anyArguments,
  fgrep: anyArguments,
  rg: forbidOptions({ long: ['--pre'] }),
  find: forbidOptions({
    words: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'],
  }),
  file: forbidOptions({ long: ['--compile'], short: 'C' }),
  stat: anyArguments,
  du: anyArguments,
  df: anyArguments,
  tree: forbidOptions({ short: 'o' }),
  which: anyArguments,
  type: anyArguments,
  whoami: anyArguments,
  id: anyArguments,
  uname: anyArguments,
  hostname: atMostPositionals(0, 'a name sets the host name'),
  date: forbidOptions({ long: ['--set'], short: 's' }),
  env: noArguments,
  printenv: anyArguments,
  basename: anyArguments,
  dirname: anyArguments,
  realpath: anyArguments,
  readlink: anyArguments,
  sort: forbidOptions({ long: ['--output', '--compress-program'], short: 'o' }),
  uniq: atMostPositionals(1, 'a second file name writes to that file'),
  cut: anyArguments,
  tr: anyArguments,
  nl: anyArguments,
  tac: anyArguments,
  rev: anyArguments,
  diff: anyArguments,
  cmp: anyArguments,
  comm: anyArguments,
  md5sum: anyArguments,
  sha1sum: anyArguments,
  sha256sum: anyArguments,
  sha512sum: anyArguments,
  cksum: anyArguments,
  column: anyArguments,
  jq: anyArguments,
  od: anyArguments,
  hexdump: anyArguments,
  xxd: allOf(
    forbidOptions({ short: 'r', long: ['-revert'] }),
    atMostPositionals(1, 'a second file name writes it'),
  ),
  strings: anyArguments,
  nproc: anyArguments,
  uptime: anyArguments,
  free: anyArguments,
  ps: anyArguments,
  true: anyArguments,
  false: anyArguments,
  test: anyArguments,
  '[': anyArguments,
  cd: anyArguments,
  git,
};

function redirectionProblem(redirection: Redirection): string | null {
  const { operator, target } = redirection;
  if (operator === '>&' || operator === '<&') {
    return /^[0-9]+$|^-$/.test(target) ? null : `the redirection \`${operator}${target}\` writes a file`;
  }
  if (operator === '<') return null;
  if (['>', '>>', '>|', '&>', '&>>'].includes(operator) && target === '/dev/null') return null;
  return `the redirection \`${operator} ${target}\` writes a file`;
}

/** Null when every part of `command` is on the allowlist with harmless arguments, else why not. */
export function readOnlyProblem(command: SimpleCommand): string | null {
  const [name, ...args] = command.words;
  if (name === undefined) {
    return command.redirections.length > 0 ? 'a redirection on its own can create a file' : null;
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(name)) {
    return `the variable assignment \`${name}\` can change what a program does (LD_PRELOAD, PATH…)`;
  }
  const rule = Object.hasOwn(READ_ONLY_COMMANDS, name) ? READ_ONLY_COMMANDS[name] : undefined;
  if (rule === undefined) return `\`${name}\` is not on the read-only list`;
  const problem = rule(name, args);
  if (problem !== null) return problem;
  for (const redirection of command.redirections) {
    const redirectionIssue = redirectionProblem(redirection);
    if (redirectionIssue !== null) return redirectionIssue;
  }
  return null;
}
