/**
 * A folder's exact state for byte-for-byte comparisons: every entry by path (bytes as latin1, so names that
 * are not UTF-8 compare too), with its kind, for a file whether it is executable (the one permission git
 * records) and the SHA-256 of its contents, for a symlink its target. Never follows a symlink.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export type TreeState = Record<string, string>;

function join(parent: Buffer, name: Buffer): Buffer {
  return Buffer.concat([parent, Buffer.from('/'), name]);
}

/** `skip` names top-level entries left out (e.g. `.git`, compared on its own). */
export function treeState(root: string, skip: readonly string[] = []): TreeState {
  const state: TreeState = {};
  const walk = (directory: Buffer, prefix: string): void => {
    for (const name of readdirSync(directory, { encoding: 'buffer' })) {
      const path = prefix === '' ? name.toString('latin1') : `${prefix}/${name.toString('latin1')}`;
      if (prefix === '' && skip.includes(path)) continue;
      const full = join(directory, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        state[path] = `symlink -> ${readlinkSync(full, { encoding: 'buffer' }).toString('latin1')}`;
      } else if (stat.isDirectory()) {
        state[path] = 'directory';
        walk(full, path);
      } else {
        const executable = (stat.mode & 0o100) !== 0 ? 'executable' : 'plain';
        state[path] = `file ${executable} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
      }
    }
  };
  walk(Buffer.from(root), '');
  return state;
}

/** Plain git in a folder, with no config but what is given, for setting up a workspace's own repository. */
export function plainGit(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  });
}
