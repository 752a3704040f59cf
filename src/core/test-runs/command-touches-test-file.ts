/**
 * Whether a shell command would change a test file, for the test-edit guard (issue 8 item 6). A heuristic,
 * unlike the guard on edit proposals, which knows the exact path: a command is read for the paths it would
 * write with the usual tools, and each is matched against the test-file globs (test-file-patterns.ts).
 *
 * Seen: redirections that write (`>`, `>>`, `>|`, `&>`, `&>>`, `<>`), `sed -i`, `perl -i`/`-pi`, `tee`,
 * `mv`, `rm`, `rmdir`, `unlink`, `shred`, `touch`, `truncate`, the destination of `cp`/`install`/`ln`,
 * `dd of=`, `patch FILE`, and `git rm`/`mv`/`checkout`/`restore`, behind `sudo`, `env`, `command`, `nice`,
 * `nohup`, `time` and `timeout`; `cd` moves the directory relative paths are read from.
 * Not seen: anything a program does by itself (`python fix.py`, `npm run fix`, `make`), paths built at run
 * time (`$VAR`, `$(…)`, `find … -delete`, `xargs`), and a directory that holds tests without being a test
 * directory (`rm -rf src` with tests inside). A line the word reader will not read (a here-document, a `$`)
 * is split roughly, quoting aside, and read the same way; `cat > tests/test_a.py <<'EOF'` is seen.
 */
import { type Redirection, readShellWords, type ShellWord, type SimpleCommand } from '../shell-words.ts';
import {
  DEFAULT_TEST_FILE_PATTERNS,
  isTestFile,
  type TestPathOptions,
  workspaceRelativePath,
} from './test-file-patterns.ts';

const WRITING_REDIRECTIONS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const EVERY_ARGUMENT = new Set(['rm', 'rmdir', 'unlink', 'shred', 'touch', 'truncate', 'tee', 'mv']);
const DESTINATION = new Set(['cp', 'install', 'ln']);
const GIT_WRITES = new Set(['rm', 'mv', 'checkout', 'restore']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Drops prefixes that run the next word as the command: `sudo -u x`, `env A=1`, `timeout 10`, `nice -n 5`. */
function withoutWrappers(words: readonly string[]): string[] {
  let rest = [...words];
  for (;;) {
    while (rest.length > 0 && ASSIGNMENT.test(rest[0]!)) rest = rest.slice(1);
    const name = rest[0];
    if (name === 'sudo' || name === 'env' || name === 'command' || name === 'nohup' || name === 'time') {
      rest = rest.slice(1);
      while (rest.length > 0 && rest[0]!.startsWith('-')) {
        const option = rest[0]!;
        rest = rest.slice(name === 'sudo' && /^-[ugCDhpRrTU]$/.test(option) ? 2 : 1);
      }
      continue;
    }
    if (name === 'nice' || name === 'timeout') {
      rest = rest.slice(1);
      while (rest.length > 0 && rest[0]!.startsWith('-'))
        rest = rest.slice(/^-[nks]$/.test(rest[0]!) ? 2 : 1);
      if (name === 'timeout') rest = rest.slice(1);
      continue;
    }
    return rest;
  }
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Arguments that are not options, `--` honoured; `valued` options take the next word. */
function operands(words: readonly string[], valued: ReadonlySet<string> = new Set()): string[] {
  const result: string[] = [];
  let optionsEnd = false;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (optionsEnd || !word.startsWith('-') || word === '-') {
      result.push(word);
      continue;
    }
    if (word === '--') optionsEnd = true;
    else if (valued.has(word)) index += 1;
  }
  return result;
}

/** `sed -i`, `perl -pi -e …`: in place when a short-option cluster has `i`, or `--in-place`. */
function inPlaceFiles(args: readonly string[], scriptOptions: ReadonlySet<string>): string[] {
  const inPlace = args.some(
    (word) => word.startsWith('--in-place') || (/^-[a-zA-Z]+/.test(word) && /^-[^-efl]*i/.test(word)),
  );
  if (!inPlace) return [];
  const hasScriptOption = args.some(
    (word) => scriptOptions.has(word) || word.startsWith('--expression') || word.startsWith('--file'),
  );
  const files = operands(args, scriptOptions);
  return hasScriptOption ? files : files.slice(1);
}

function destinationOf(args: readonly string[]): string[] {
  const targetOption = args.findIndex((word) => word === '-t' || word === '--target-directory');
  if (targetOption !== -1 && args[targetOption + 1] !== undefined) return [args[targetOption + 1]!];
  const inline = args.find((word) => word.startsWith('--target-directory='));
  if (inline !== undefined) return [inline.slice('--target-directory='.length)];
  const files = operands(args, new Set(['-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group']));
  return files.length >= 2 ? [files[files.length - 1]!] : [];
}

/** The paths one simple command would write or remove, as written. */
function writtenPaths(words: readonly string[]): string[] {
  const [name, ...args] = withoutWrappers(words);
  if (name === undefined) return [];
  const command = basename(name);
  if (EVERY_ARGUMENT.has(command)) return operands(args, new Set(['-s', '--size', '-r', '--reference']));
  if (DESTINATION.has(command)) return destinationOf(args);
  if (command === 'sed') return inPlaceFiles(args, new Set(['-e', '-f', '-l']));
  if (command === 'perl' || command === 'ruby') return inPlaceFiles(args, new Set(['-e', '-E']));
  if (command === 'dd') return args.filter((word) => word.startsWith('of=')).map((word) => word.slice(3));
  if (command === 'patch')
    return operands(args, new Set(['-p', '-i', '-o', '-d', '-r', '-B', '-z'])).slice(0, 1);
  if (command === 'git') {
    const sub = operands(args, new Set(['-C', '-c']));
    if (sub[0] !== undefined && GIT_WRITES.has(sub[0])) return sub.slice(1);
  }
  return [];
}

function redirectedPaths(redirections: readonly Redirection[]): string[] {
  return redirections
    .filter((redirection) => WRITING_REDIRECTIONS.has(redirection.operator))
    .map((redirection) => redirection.target)
    .filter((target) => target !== '/dev/null' && !target.startsWith('/dev/fd/'));
}

/**
 * The paths in `command` that it would write and that are test files, in the order they appear.
 *
 * @example
 * testFilesWrittenBy("sed -i 's/2/3/' tests/test_math.py")      // ['tests/test_math.py']
 * testFilesWrittenBy('pytest tests/ > log.txt')                    // []: running the tests changes none
 */
export function testFilesWrittenBy(
  command: string,
  patterns: readonly string[] = DEFAULT_TEST_FILE_PATTERNS,
  options: TestPathOptions = {},
): string[] {
  const reading = readShellWords(command);
  const commands = reading.kind === 'commands' ? reading.commands : roughCommands(command);
  const found: string[] = [];
  let cwd = options.cwd;
  for (const simple of commands) {
    const words = simple.words.map((word) => word.text);
    if (words[0] === 'cd') {
      const target = words[1];
      if (target !== undefined && target !== '-') cwd = directoryAfterCd(target, cwd, options.workspace);
      continue;
    }
    for (const path of [...writtenPaths(words), ...redirectedPaths(simple.redirections)]) {
      if (path.includes('$')) continue;
      if (isTestFile(path, patterns, { workspace: options.workspace, cwd })) found.push(path);
    }
  }
  return found;
}

/**
 * Where `cd target` leaves the shell, for reading later relative paths: absolute inside the workspace when
 * there is one, and somewhere no test file of the workspace is when it leaves it.
 */
function directoryAfterCd(target: string, cwd: string | undefined, workspace: string | undefined): string {
  const relative = workspaceRelativePath(target, { workspace, cwd });
  if (relative === null) return target.startsWith('/') ? target : '..';
  return workspace === undefined ? relative : `${workspace}/${relative}`;
}

/**
 * Whether `command` would change a test file, as far as its words show (see the file's header for what
 * is and is not seen).
 */
export function commandTouchesTestFile(
  command: string,
  patterns: readonly string[] = DEFAULT_TEST_FILE_PATTERNS,
  options: TestPathOptions = {},
): boolean {
  return testFilesWrittenBy(command, patterns, options).length > 0;
}

/** Here-document bodies are content, not paths: drops them, up to each delimiter line. */
function withoutHereDocumentBodies(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    kept.push(line);
    const delimiters = [...line.matchAll(/<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/g)]
      .filter((match) => line[match.index! + 2] !== '<')
      .map((match) => ({ tabs: match[1] === '-', word: match[3]! }));
    for (const delimiter of delimiters) {
      index += 1;
      while (index < lines.length) {
        const body = delimiter.tabs ? lines[index]!.replace(/^\t+/, '') : lines[index]!;
        if (body === delimiter.word) break;
        index += 1;
      }
    }
  }
  return kept.join('\n');
}

/**
 * A rough split for lines the word reader refuses: separators and redirections by their characters,
 * quotes removed without their meaning. Only good enough to find the paths a writer names.
 */
function roughCommands(text: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  const source = withoutHereDocumentBodies(text);
  for (const segment of source.split(/;|&&|\|\||\||(?<![<>])&(?!>)|\n|\$\(|\(|\)|`/)) {
    const tokens = segment.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
    const words: ShellWord[] = [];
    const redirections: Redirection[] = [];
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!.replaceAll(/['"]/g, '');
      const operator = /^(\d*)(&>>|&>|>>|>\||>|<<<|<<-?|<>|<)(.*)$/.exec(token);
      if (operator === null) {
        words.push({ text: token, pattern: /[*?]/.test(token) });
        continue;
      }
      let target = operator[3]!;
      if (target === '' && index + 1 < tokens.length) {
        index += 1;
        target = tokens[index]!.replaceAll(/['"]/g, '');
      }
      redirections.push({ operator: operator[2]!, fd: null, target, pattern: false });
    }
    if (words.length > 0 || redirections.length > 0) commands.push({ words, redirections });
  }
  return commands;
}
