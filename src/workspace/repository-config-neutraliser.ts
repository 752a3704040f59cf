/**
 * The TypeScript twin of GIT_NEUTRALISE_SCRIPT (src/sandbox/git-safety.ts), for git run on the host in the
 * workspace's own repository: given its config as `git config --null --list` prints it (reading config runs
 * nothing), a harmless value for every key that names a program per driver, and the filter drivers that
 * were defined (a commit refuses paths that use one: see workspace-repository.ts).
 */

export interface Neutralised {
  pairs: Array<readonly [string, string]>;
  /** Names of filter drivers with a clean, smudge or process command (`lfs` for Git LFS). */
  filterDrivers: string[];
}

function lastDot(key: string): number {
  return key.lastIndexOf('.');
}

/** `git config --null --list`: each entry is `key\nvalue\0` (a key alone, for a valueless boolean). */
export function neutraliseRepositoryConfig(listing: string): Neutralised {
  const pairs: Array<readonly [string, string]> = [];
  const filterDrivers = new Set<string>();
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    // git prints section and variable names in lower case and keeps a subsection's case, as a key needs.
    const key = entry.split('\n')[0] ?? '';
    const isDriverKey = (section: string, names: readonly string[]): boolean =>
      key.startsWith(`${section}.`) && names.includes(key.slice(lastDot(key) + 1));
    if (isDriverKey('diff', ['textconv'])) pairs.push([key, 'cat']);
    else if (isDriverKey('diff', ['command']) || key === 'diff.external') pairs.push([key, '']);
    else if (isDriverKey('filter', ['clean', 'smudge', 'process'])) {
      // An empty clean, smudge or process command means no filter at all (convert.c).
      pairs.push([key, '']);
      filterDrivers.add(key.slice('filter.'.length, lastDot(key)));
    } else if (isDriverKey('filter', ['required'])) pairs.push([key, 'false']);
    else if (isDriverKey('merge', ['driver'])) pairs.push([key, 'false']);
    else if (key.startsWith('pager.')) pairs.push([key, 'false']);
    else if (key.startsWith('credential.') && key.endsWith('.helper')) pairs.push([key, '']);
    else if (key.startsWith('submodule.') && lastDot(key) > 'submodule.'.length) {
      pairs.push([`submodule.${key.slice('submodule.'.length, lastDot(key))}.ignore`, 'all']);
    }
  }
  return { pairs, filterDrivers: [...filterDrivers] };
}
