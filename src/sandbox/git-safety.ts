/**
 * What keeps a repository's own config from running programs when the read-only policy runs `git status`
 * or `git diff` by itself. A repository can name programs that reading commands start: core.fsmonitor (on
 * every index refresh), a clean filter (git status and git diff hash changed files through it), a textconv
 * or an external diff driver (git diff, log -p, show, blame), a pager, gpg for signatures, and the same in
 * its submodules. Config given through GIT_CONFIG_COUNT/KEY_n/VALUE_n ranks above every file (and reaches
 * the git processes started for submodules), so:
 *
 * - names known in advance get a harmless value here (GIT_NEUTRAL_CONFIG);
 * - per-driver names (`filter.<driver>.clean`, `diff.<driver>.textconv`…) are unknown until the
 *   repository's config is read, so the isolated shell reads it first (`git config --null --list` runs
 *   nothing) and appends a harmless value for each one it finds (GIT_NEUTRALISE_SCRIPT), and turns off
 *   every submodule it can name, so no git process starts inside one.
 *
 * System and global config are not read at all; the sandbox's HOME is ours anyway.
 */

/** [key, value] pairs for settings whose names are fixed. */
export const GIT_NEUTRAL_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.sshCommand', 'false'],
  // An empty value empties the list of helpers.
  ['credential.helper', ''],
  ['protocol.allow', 'never'],
  ['diff.ignoreSubmodules', 'all'],
  ['status.submoduleSummary', 'false'],
  ['submodule.recurse', 'false'],
  ['log.showSignature', 'false'],
  // `remerge` would re-run merges, and with them merge drivers.
  ['log.diffMerges', 'separate'],
  ['gpg.program', 'false'],
  ['gpg.openpgp.program', 'false'],
  ['gpg.x509.program', 'false'],
  ['gpg.ssh.program', 'false'],
];

/** The environment variables that carry GIT_NEUTRAL_CONFIG and keep other config files out. */
export function gitSafetyEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    // git status would otherwise refresh and rewrite the index.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(GIT_NEUTRAL_CONFIG.length),
  };
  GIT_NEUTRAL_CONFIG.forEach(([key, value], index) => {
    environment[`GIT_CONFIG_KEY_${index}`] = key;
    environment[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return environment;
}

/**
 * An external diff the repository named is replaced by a plain `diff -u` of the two files git hands it
 * (git calls it with: path old-file old-hex old-mode new-file new-hex new-mode).
 */
const SAFE_EXTERNAL_DIFF = `sh -c 'printf "diff --git a/%s b/%s\\n" "$1" "$1"; diff -u --label "a/$1" --label "b/$1" -- "$2" "$5"; exit 0' mp-diff`;

function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * Bash run at the start of an isolated shell, before the command: reads the config of the repository at
 * the current directory (and its .gitmodules) and exports a harmless value for every per-driver key and a
 * `submodule.<name>.ignore=all` for every submodule name. Leaves no function or variable behind.
 */
export const GIT_NEUTRALISE_SCRIPT = [
  `__mp_safe_diff=${shellQuoted(SAFE_EXTERNAL_DIFF)}`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
  '__mp_count=${GIT_CONFIG_COUNT:-0}',
  '__mp_set() {',
  '  builtin export "GIT_CONFIG_KEY_$__mp_count=$1" "GIT_CONFIG_VALUE_$__mp_count=$2"',
  '  __mp_count=$((__mp_count + 1))',
  '}',
  '__mp_neutralise() {',
  '  local entry key name',
  "  while IFS= builtin read -r -d '' entry; do",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
  "    key=${entry%%$'\\n'*}",
  '    case $key in',
  '      diff.*.textconv) __mp_set "$key" cat ;;',
  '      diff.*.command|diff.external) __mp_set "$key" "$__mp_safe_diff" ;;',
  // An empty clean, smudge or process command means no filter at all (convert.c).
  '      filter.*.clean|filter.*.smudge|filter.*.process) __mp_set "$key" \'\' ;;',
  '      filter.*.required) __mp_set "$key" false ;;',
  '      pager.*) __mp_set "$key" false ;;',
  '      credential.*.helper) __mp_set "$key" \'\' ;;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
  '      submodule.*.*) name=${key#submodule.}; __mp_set "submodule.${name%.*}.ignore" all ;;',
  '    esac',
  '  done',
  '}',
  'if builtin command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then',
  '  __mp_neutralise < <(git config --null --list 2>/dev/null)',
  '  __mp_neutralise < <(git config --null --blob HEAD:.gitmodules --list 2>/dev/null)',
  '  __mp_neutralise < <(git config --null --blob :.gitmodules --list 2>/dev/null)',
  '  if __mp_top=$(git rev-parse --show-toplevel 2>/dev/null) && [ -n "$__mp_top" ]; then',
  '    __mp_neutralise < <(git config --null --file "$__mp_top/.gitmodules" --list 2>/dev/null)',
  '  fi',
  'fi',
  'builtin export GIT_CONFIG_COUNT=$__mp_count',
  'builtin unset -f __mp_set __mp_neutralise',
  'builtin unset __mp_count __mp_top __mp_safe_diff',
].join('\n');
