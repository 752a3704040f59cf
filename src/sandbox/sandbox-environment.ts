/**
 * What a shell sees of its surroundings: an environment built from an allowlist (never the server's own,
 * which holds API keys), and the credential paths under a home directory that stay hidden even when a
 * workspace contains them.
 */

export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const SANDBOX_HOME = '/home/sandbox';

/** Non-interactive defaults: a pager would wait for keys that never come, so output goes straight out. */
const NON_INTERACTIVE = { PAGER: 'cat', GIT_PAGER: 'cat', MANPAGER: 'cat', GIT_TERMINAL_PROMPT: '0' };

export function sandboxEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: SANDBOX_PATH,
    HOME: home,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...NON_INTERACTIVE,
    ...extra,
  };
}

/** Variables the host shell takes from the server's environment; anything else (API keys) stays out. */
export const HOST_INHERITED_VARIABLES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export function hostEnvironment(
  parent: Record<string, string | undefined>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of HOST_INHERITED_VARIABLES) {
    const value = parent[name];
    if (value !== undefined) inherited[name] = value;
  }
  return { ...sandboxEnvironment(inherited.HOME ?? '/', {}), ...inherited, ...extra };
}

const HOME_SECRETS = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.kube',
  '.docker',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.config/gcloud',
  '.config/gh',
];

/** Credential files and folders under `home`, hidden from a sandbox whose workspace contains them. */
export function homeSecretPaths(home: string): string[] {
  const base = home.endsWith('/') ? home.slice(0, -1) : home;
  return HOME_SECRETS.map((name) => `${base}/${name}`);
}
