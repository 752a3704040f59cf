/**
 * The Commit action in the workspace's own repository (issue 8 item 3), on real temporary repositories: it
 * commits what `git add -A && git commit` would, with the person's message and name; the draft diff shows
 * the same without writing anything into `.git`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors.ts';
import {
  commitWork,
  diffForCommitMessage,
  isGitRepository,
} from '../../src/workspace/workspace-repository.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { plainGit, treeState } from './tree-state.ts';

const hasGit = requirement('git', hasExecutable('git'));
const ANA = { name: 'Ana Lima', email: 'ana@example.com' };

describe.skipIf(!hasGit)('the workspace repository', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;

  beforeEach(() => {
    temp = makeTempDir('mp-workspace-repository-');
    root = join(temp.path, 'workspace');
    mkdirSync(root);
  });
  afterEach(() => temp.remove());

  it('is a repository only when the workspace root holds its .git', async () => {
    expect(await isGitRepository(root)).toBe(false);
    plainGit(temp.path, ['init', '--quiet']);
    // Inside a larger repository, but not one itself: a commit would take files from outside the workspace.
    expect(await isGitRepository(root)).toBe(false);
    plainGit(root, ['init', '--quiet']);
    expect(await isGitRepository(root)).toBe(true);
    await expect(
      commitWork(join(temp.path, 'missing'), { message: 'x', author: ANA }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('commits everything as add -A would: new, changed and deleted files, from an unborn branch on', async () => {
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(join(root, 'keep.txt'), 'keep\n');
    writeFileSync(join(root, 'gone.txt'), 'gone\n');
    writeFileSync(join(root, '.gitignore'), 'secret.env\n');
    writeFileSync(join(root, 'secret.env'), 'TOKEN=1\n');
    const first = await commitWork(root, { message: 'Start\n\nWith a body.\n\n', author: ANA });
    expect(first).toMatchObject({ committed: true, changedFiles: 3 });

    writeFileSync(join(root, 'keep.txt'), 'kept, changed\n');
    rmSync(join(root, 'gone.txt'));
    writeFileSync(join(root, 'new file.txt'), 'new\n');
    const second = await commitWork(root, { message: 'Change things', author: ANA });
    expect(second.committed && second.files.map((file) => [file.status, file.path])).toEqual([
      ['D', 'gone.txt'],
      ['M', 'keep.txt'],
      ['A', 'new file.txt'],
    ]);

    expect(plainGit(root, ['log', '--format=%an <%ae>|%cn|%B'])).toBe(
      'Ana Lima <ana@example.com>|Ana Lima|Change things\n\nAna Lima <ana@example.com>|Ana Lima|Start\n\nWith a body.\n\n',
    );
    expect(plainGit(root, ['rev-parse', 'HEAD'])).toBe(`${second.committed ? second.commit : ''}\n`);
    expect(plainGit(root, ['status', '--porcelain'])).toBe('');
    expect(plainGit(root, ['ls-files'])).toBe('.gitignore\nkeep.txt\nnew file.txt\n');
    expect(await commitWork(root, { message: 'Again', author: ANA })).toEqual({
      committed: false,
      reason: 'nothing-to-commit',
    });
  });

  it('refuses an empty message and an author git could not write', async () => {
    plainGit(root, ['init', '--quiet']);
    writeFileSync(join(root, 'a.txt'), 'a\n');
    await expect(commitWork(root, { message: ' \n ', author: ANA })).rejects.toThrow(/needs a message/);
    await expect(
      commitWork(root, { message: 'x', author: { name: 'Ana <evil>', email: 'a@example.com' } }),
    ).rejects.toThrow(/without <, > or line breaks/);
    expect(plainGit(root, ['rev-list', '--all'])).toBe('');
  });

  it('refuses to commit in the middle of a merge, leaving it as it was', async () => {
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(join(root, 'a.txt'), 'base\n');
    plainGit(root, ['add', 'a.txt']);
    plainGit(root, ['commit', '--quiet', '-m', 'base']);
    plainGit(root, ['checkout', '--quiet', '-b', 'other']);
    writeFileSync(join(root, 'a.txt'), 'other\n');
    plainGit(root, ['commit', '--quiet', '-am', 'other']);
    plainGit(root, ['checkout', '--quiet', 'main']);
    writeFileSync(join(root, 'a.txt'), 'main\n');
    plainGit(root, ['commit', '--quiet', '-am', 'main']);
    expect(() => plainGit(root, ['merge', '--quiet', 'other'])).toThrow();
    const head = plainGit(root, ['rev-parse', 'HEAD']);

    await expect(commitWork(root, { message: 'Merge', author: ANA })).rejects.toThrow(
      /in the middle of a merge \(\.git\/MERGE_HEAD\): finish or abort it from a terminal/,
    );
    expect(plainGit(root, ['rev-parse', 'HEAD'])).toBe(head);
    expect(plainGit(root, ['diff', '--name-only', '--diff-filter=U'])).toBe('a.txt\n');
  });

  it('drafts the diff a commit would make without writing into .git', async () => {
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(join(root, 'tracked.txt'), 'one\n');
    plainGit(root, ['add', 'tracked.txt']);
    plainGit(root, ['commit', '--quiet', '-m', 'first']);
    writeFileSync(join(root, 'tracked.txt'), 'two\n');
    writeFileSync(join(root, 'untracked.txt'), 'new\n');
    const before = treeState(join(root, '.git'));

    const draft = await diffForCommitMessage(root);
    expect(draft.files.map((file) => [file.status, file.path])).toEqual([
      ['M', 'tracked.txt'],
      ['A', 'untracked.txt'],
    ]);
    expect(draft.text).toContain('-one\n+two\n');
    expect(draft.text).toContain('+++ b/untracked.txt\n@@ -0,0 +1 @@\n+new\n');
    expect(treeState(join(root, '.git'))).toEqual(before);
  });
});
