/**
 * runIsolated for the docker backend: a fresh `docker exec … bash` in the session's container, and a way to
 * stop it that reaches only its processes. The session's own stop sequence signals every process of the
 * container, the session shell included, so an isolated run is stopped through its process tree instead:
 * the shell's pid as the container numbers it (reported by the isolated script) and its descendants.
 * A process that leaves that tree (double fork) ends up under the container's init and is removed with
 * the container; no command on the read-only list does that.
 */
import type { ProcessControl } from './isolated-run.ts';
import { type IsolatedRequest, isolatedBashArguments, isolatedExtraEnvironment } from './isolated-shell.ts';
import { SANDBOX_HOME, sandboxEnvironment } from './sandbox-environment.ts';
import type { RunningShell, ShellLaunch } from './shell-backend.ts';

/**
 * The isolated launch beside the session shell's `docker exec --interactive … <container> bash …`: same
 * client and container, its own environment, no stdin, and BASH_ENV/ENV unset whatever the image says.
 */
export function dockerIsolatedLaunch(
  shell: ShellLaunch,
  request: IsolatedRequest,
  settings: Record<string, string> = {},
): ShellLaunch {
  const bash = shell.args.lastIndexOf('bash');
  const container = shell.args[bash - 1];
  if (bash < 1 || container === undefined) throw new Error('the docker launch names no container');
  const environment = sandboxEnvironment(SANDBOX_HOME, isolatedExtraEnvironment(settings));
  const envArgs = Object.entries(environment).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  return {
    ...shell,
    args: [
      'exec',
      ...envArgs,
      container,
      'env',
      '-u',
      'BASH_ENV',
      '-u',
      'ENV',
      'bash',
      ...isolatedBashArguments(request),
    ],
  };
}

/**
 * `root` and its live descendants, as the container numbers them; the helper shell itself is never among
 * them. Zombies are left out: they have ended, and a frozen shell cannot reap them, so counting them made
 * every stop wait out its whole grace period.
 */
function treeScript(root: number): string {
  return [
    `found=" ${root} "`,
    'changed=1',
    'while [ "$changed" = 1 ]; do',
    '  changed=0',
    '  for d in /proc/[0-9]*; do',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    '    p=${d#/proc/}',
    '    case "$found" in *" $p "*) continue;; esac',
    '    parent=; state=',
    '    while read -r key value rest; do',
    '      case $key in State:) state=$value;; PPid:) parent=$value;; esac',
    '    done < "$d/status" 2>/dev/null',
    '    [ "$state" = Z ] && continue',
    '    case "$found" in *" $parent "*) found="$found$p "; changed=1;; esac',
    '  done',
    'done',
  ].join('\n');
}

function signalTreeScript(root: number, signal: string, withRoot: boolean): string {
  const skip = withRoot ? '' : `[ "$p" = ${root} ] && continue; `;
  return `${treeScript(root)}\nfor p in $found; do ${skip}kill -s ${signal} "$p" 2>/dev/null; done`;
}

export function dockerIsolatedControl(options: {
  exec: (script: string) => Promise<void>;
  signalShell: (shell: RunningShell, signal: NodeJS.Signals) => Promise<void>;
}): ProcessControl {
  const { exec } = options;
  return {
    // Its leftovers went to the container's init with it; its pid may already belong to another process.
    afterExit: async () => undefined,
    signalShell: options.signalShell,
    async signalOthers(shell, signal) {
      if (shell.shellPid <= 0) return;
      await exec(signalTreeScript(shell.shellPid, signal.replace(/^SIG/, ''), false));
    },
    async waitForOthers(shell, limitMs) {
      if (shell.shellPid <= 0) return;
      const rounds = Math.ceil(limitMs / 50);
      await exec(
        `rounds=${rounds}\nwhile [ "$rounds" -gt 0 ]; do\n${treeScript(shell.shellPid)}\n` +
          `[ "$found" = " ${shell.shellPid} " ] && break\nsleep 0.05; rounds=$((rounds - 1))\ndone`,
      );
    },
    async killAll(shell) {
      // Frozen first, so nothing in the tree forks a child the kill would miss.
      if (shell.shellPid > 0) {
        await exec(
          `${signalTreeScript(shell.shellPid, 'STOP', true)}\n${signalTreeScript(shell.shellPid, 'KILL', true)}`,
        );
      }
      try {
        process.kill(shell.processId, 'SIGKILL');
      } catch {
        // The client already ended with its shell.
      }
    },
  };
}
