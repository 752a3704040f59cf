/**
 * A restore writes files on the host, outside the sandbox, into a workspace the model shapes: a directory it
 * swapped for a symlink to elsewhere must be replaced, never written through, and content no checkpoint
 * recorded (here: an ignored file, where the target holds a file of that name) must not be overwritten.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShadowGit } from '../../src/workspace/shadow-git.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { treeState } from '../workspace/tree-state.ts';

const hasGit = requirement('git', hasExecutable('git'));

describe.skipIf(!hasGit)('a checkpoint restore stays inside the workspace', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  let outside: string;
  let checkpoints: ShadowGit;

  beforeEach(() => {
    temp = makeTempDir('mp-restore-inside-');
    root = join(temp.path, 'workspace');
    outside = join(temp.path, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'precious.txt'), 'outside the workspace\n');
    checkpoints = new ShadowGit({
      workspaceRoot: root,
      shadowDir: join(temp.path, 'data', 'checkpoints.git'),
    });
  });
  afterEach(() => temp.remove());

  it('replaces a directory swapped for a symlink to elsewhere instead of writing through it', async () => {
    mkdirSync(join(root, 'd'));
    writeFileSync(join(root, 'd', 'f.txt'), 'inside\n');
    writeFileSync(join(root, 'd', 'precious.txt'), 'the workspace copy\n');
    const first = await checkpoints.snapshot('first');
    rmSync(join(root, 'd'), { recursive: true });
    symlinkSync(outside, join(root, 'd'));
    const outsideBefore = treeState(outside);

    await checkpoints.restore(first.commit);
    expect(treeState(outside)).toEqual(outsideBefore);
    expect(readFileSync(join(root, 'd', 'f.txt'), 'utf8')).toBe('inside\n');
    expect(readFileSync(join(root, 'd', 'precious.txt'), 'utf8')).toBe('the workspace copy\n');
  });

  it('leaves a symlink that no checkpoint recorded where the target holds a directory', async () => {
    // Recorded once as a directory, then ignored and swapped for a link: the restore may not follow it.
    writeFileSync(join(root, '.gitignore'), '');
    mkdirSync(join(root, 'd'));
    writeFileSync(join(root, 'd', 'precious.txt'), 'recorded\n');
    const withD = await checkpoints.snapshot('d recorded');
    writeFileSync(join(root, '.gitignore'), 'd\n');
    rmSync(join(root, 'd'), { recursive: true });
    symlinkSync(outside, join(root, 'd'));
    await checkpoints.snapshot('d ignored, a link');
    const outsideBefore = treeState(outside);

    const restored = await checkpoints.restore(withD.commit);
    expect(restored.leftAlone).toEqual([{ path: 'd/precious.txt', reason: 'not-recorded' }]);
    expect(treeState(outside)).toEqual(outsideBefore);
  });
});
