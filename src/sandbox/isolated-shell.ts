/**
 * The fresh shell a command the read-only policy approved runs in (ShellSession.runIsolated): a new
 * `bash --noprofile --norc -c` in the same sandbox configuration as the session's shell, so no function or
 * alias an earlier command defined (`ls() { rm -rf …; }`) can stand in for the command that was judged.
 * Before the command, the script:
 *
 * - reports its own pid on stderr (how the backend finds its processes to stop them), then sends stderr to
 *   stdout so the output keeps the order it was written in, and reads stdin from /dev/null;
 * - goes to the session shell's working directory;
 * - neutralises the repository's code-running git config (git-safety.ts);
 * - sets `GLOBIGNORE='-*'` (with dotglob off again, which setting it turns on), so a file-name pattern never
 *   expands to a word that starts with `-`: the policy judged `wc -l *.ts` as options plus file names, and
 *   a file named `--files0-from=x.ts` must not turn into an option.
 *
 * Its environment is the sandbox's base (PATH of system folders only, HOME, TERM, LANG, pagers off), the
 * locale and display variables of the conversation's settings, and git's safety variables; nothing else
 * of the settings (PATH, LD_PRELOAD, BASH_ENV, BASH_FUNC_…, GIT_…, RIPGREP_CONFIG_PATH could all change
 * what an approved command runs).
 */

import { GIT_NEUTRALISE_SCRIPT, gitSafetyEnvironment } from './git-safety.ts';
import { sandboxEnvironment } from './sandbox-environment.ts';
import type { ShellLaunch } from './shell-backend.ts';

/** What runIsolated asks a backend to launch. */
export interface IsolatedRequest {
  command: string;
  /** Absolute path inside the sandbox; the workspace when the session shell's cwd lies elsewhere. */
  cwd: string;
}

export const ISOLATED_SCRIPT = [
  'builtin printf \'%d\\n\' "$$" >&2',
  'builtin exec 2>&1 </dev/null',
  'if ! builtin cd -- "$1" 2>/dev/null; then',
  '  builtin printf \'mp: %s is not reachable in a fresh shell; this ran in %s\\n\' "$1" "$PWD"',
  'fi',
  GIT_NEUTRALISE_SCRIPT,
  "GLOBIGNORE='-*'",
  'builtin shopt -u dotglob',
  'builtin eval -- "$2"',
].join('\n');

/** Arguments for bash: the script, then $0, the cwd ($1) and the command ($2). */
export function isolatedBashArguments(request: IsolatedRequest): string[] {
  return ['--noprofile', '--norc', '-c', ISOLATED_SCRIPT, 'mp-isolated', request.cwd, request.command];
}

/** Variables of the conversation's settings an isolated command keeps: how text is shown, nothing more. */
const KEPT_SETTINGS = /^(LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|COLUMNS|NO_COLOR|FORCE_COLOR|CLICOLOR)$/;

/** The settings' variables an isolated shell keeps, plus git's safety variables. */
export function isolatedExtraEnvironment(settings: Record<string, string> = {}): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) if (KEPT_SETTINGS.test(name)) kept[name] = value;
  return { ...kept, ...gitSafetyEnvironment() };
}

const SHELL_TAIL = ['bash', '--noprofile', '--norc'];

/**
 * The isolated launch derived from a bwrap session shell's launch, so it has exactly the same sandbox
 * (binds, masks, limits wrapper, network helper): the environment is cleared again and rebuilt right before
 * the command (bwrap applies --clearenv and --setenv in order), and the shell gets the isolated script.
 *
 * @example
 * spawnFrom(isolatedBwrapLaunch(backend.launch(), { command: 'ls', cwd: '/work/p/src' }, settings))
 */
export function isolatedBwrapLaunch(
  shell: ShellLaunch,
  request: IsolatedRequest,
  settings: Record<string, string> = {},
): ShellLaunch {
  const tail = shell.args.slice(-SHELL_TAIL.length);
  if (tail.join(' ') !== SHELL_TAIL.join(' ')) {
    throw new Error(`the bwrap launch must end with \`${SHELL_TAIL.join(' ')}\`, not \`${tail.join(' ')}\``);
  }
  const head = shell.args.slice(0, -SHELL_TAIL.length);
  const environment = sandboxEnvironment(sandboxHomeOf(head), isolatedExtraEnvironment(settings));
  const setenv = Object.entries(environment).flatMap(([name, value]) => ['--setenv', name, value]);
  return {
    ...shell,
    args: [...head, '--clearenv', ...setenv, 'bash', ...isolatedBashArguments(request)],
  };
}

/** The HOME the session shell gets (the last `--setenv HOME`), which is the sandbox's private tmpfs. */
function sandboxHomeOf(args: readonly string[]): string {
  let home = '/';
  for (let index = 0; index + 2 < args.length; index += 1) {
    if (args[index] === '--setenv' && args[index + 1] === 'HOME') home = args[index + 2]!;
  }
  return home;
}
