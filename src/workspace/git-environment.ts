/**
 * The environments git runs in for checkpoints (the shadow repository) and for the workspace's own repository.
 * Both start from src/sandbox/git-safety.ts: no system or global config, hooks, fsmonitor, pagers, credential
 * helpers and signing programs turned off. These git processes run on the host, outside the sandbox, over files
 * the sandboxed model can write, so nothing the workspace holds may name a program for them to start:
 *
 * - the shadow repository's settings all travel in GIT_CONFIG_* (they rank above any config file), so the
 *   result does not depend on what its config file says;
 * - the workspace's `.gitattributes` can still ask for conversions (`filter=`, `text eol=crlf`, `ident`,
 *   `working-tree-encoding`, a `diff=` driver): the shadow repository's `info/attributes`, which ranks above
 *   every `.gitattributes` in the tree, turns each one off for every path (SHADOW_ATTRIBUTES), so files are
 *   recorded and restored byte for byte and no filter or textconv can run even if one were defined;
 * - the workspace's own repository has a config file the sandbox can write: every per-driver program it names
 *   is neutralised (repository-config-neutraliser.ts) before git reads a file.
 */
import { gitSafetyEnvironment } from '../sandbox/git-safety.ts';

/** The environment a caller passes when it has no better one: a PATH where git is found, nothing else. */
export const DEFAULT_BASE_ENVIRONMENT: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
};

/** Who the shadow repository's commits are by: they are the app's, not a person's. */
const CHECKPOINT_AUTHOR = { name: 'mp checkpoint', email: 'checkpoint@mp.invalid' };

/**
 * Written to `<shadow>/info/attributes`. `-text` stops end-of-line conversion, `-filter` clean/smudge,
 * `-ident` `$Id$` expansion, `-working-tree-encoding` re-encoding; `!diff` and `!merge` drop any driver a
 * `.gitattributes` names (git then decides text or binary by content); `!eol` drops an eol a file asks for.
 */
export const SHADOW_ATTRIBUTES = '* -text -filter -ident -working-tree-encoding !eol !diff !merge\n';

/** Settings for the shadow repository, given through the environment so no file can change them. */
const SHADOW_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.bare', 'false'],
  ['core.symlinks', 'true'],
  ['core.fileMode', 'true'],
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.ignoreCase', 'false'],
  ['core.precomposeUnicode', 'false'],
  ['core.quotePath', 'false'],
  // Unchanged directories are not read again (the index keeps their mtimes and what they held).
  ['core.untrackedCache', 'true'],
  ['core.sparseCheckout', 'false'],
  // The user's global ignore and attributes files (XDG defaults) would make checkpoints differ per host user.
  ['core.excludesFile', '/dev/null'],
  ['core.attributesFile', '/dev/null'],
  ['core.logAllRefUpdates', 'false'],
  ['commit.gpgSign', 'false'],
  ['gc.auto', '0'],
  // The branch stays a loose file, which checkpoint-lock.ts and ShadowGit read directly.
  ['gc.packRefs', 'false'],
  ['maintenance.auto', 'false'],
  ['diff.noprefix', 'false'],
  ['diff.mnemonicPrefix', 'false'],
  ['diff.relative', 'false'],
  ['color.ui', 'never'],
];

/** Settings for git in the workspace's own repository, beside the neutralised drivers. */
const WORKSPACE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['commit.gpgSign', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['core.quotePath', 'false'],
  ['diff.noprefix', 'false'],
  ['diff.mnemonicPrefix', 'false'],
  ['diff.relative', 'false'],
  ['color.ui', 'never'],
];

/** Appends config pairs after those already in the environment's GIT_CONFIG_COUNT. */
export function withGitConfig(
  environment: Record<string, string>,
  pairs: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const result = { ...environment };
  let count = Number(result.GIT_CONFIG_COUNT ?? '0');
  for (const [key, value] of pairs) {
    result[`GIT_CONFIG_KEY_${count}`] = key;
    result[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  result.GIT_CONFIG_COUNT = String(count);
  return result;
}

function commonEnvironment(base: Readonly<Record<string, string>>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    // A GIT_* variable from outside could point git anywhere (GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY…).
    if (!key.startsWith('GIT_')) environment[key] = value;
  }
  return {
    ...environment,
    ...gitSafetyEnvironment(),
    // Messages we read (update-index's "Ignoring path") are git's English ones.
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_EDITOR: 'true',
    // A path handed to git as a pathspec means that path, even when it holds `*` or starts with `:`.
    GIT_LITERAL_PATHSPECS: '1',
  };
}

export function shadowEnvironment(options: {
  base: Readonly<Record<string, string>>;
  shadowDir: string;
  workspaceRoot: string;
  indexFile?: string;
}): Record<string, string> {
  const environment = withGitConfig(commonEnvironment(options.base), SHADOW_CONFIG);
  environment.GIT_DIR = options.shadowDir;
  environment.GIT_WORK_TREE = options.workspaceRoot;
  if (options.indexFile !== undefined) environment.GIT_INDEX_FILE = options.indexFile;
  // The shadow index is ours alone (one operation at a time): status may write back what it refreshed.
  environment.GIT_OPTIONAL_LOCKS = '1';
  environment.GIT_AUTHOR_NAME = CHECKPOINT_AUTHOR.name;
  environment.GIT_AUTHOR_EMAIL = CHECKPOINT_AUTHOR.email;
  environment.GIT_COMMITTER_NAME = CHECKPOINT_AUTHOR.name;
  environment.GIT_COMMITTER_EMAIL = CHECKPOINT_AUTHOR.email;
  return environment;
}

export function workspaceEnvironment(options: {
  base: Readonly<Record<string, string>>;
  gitDir: string;
  workspaceRoot: string;
  neutralising: ReadonlyArray<readonly [string, string]>;
  indexFile?: string;
  /** Objects git writes go here, the repository's own read beside them (a scratch run leaves `.git` as it was). */
  scratchObjects?: { directory: string; repositoryObjects: string };
}): Record<string, string> {
  const environment = withGitConfig(commonEnvironment(options.base), [
    ...WORKSPACE_CONFIG,
    ...options.neutralising,
  ]);
  environment.GIT_DIR = options.gitDir;
  environment.GIT_WORK_TREE = options.workspaceRoot;
  if (options.indexFile !== undefined) environment.GIT_INDEX_FILE = options.indexFile;
  if (options.scratchObjects !== undefined) {
    environment.GIT_OBJECT_DIRECTORY = options.scratchObjects.directory;
    environment.GIT_ALTERNATE_OBJECT_DIRECTORIES = options.scratchObjects.repositoryObjects;
  }
  return environment;
}
