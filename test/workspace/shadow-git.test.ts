/**
 * Checkpoints on real temporary workspaces with real git (issue 8 item 3, done-when): a snapshot and a restore
 * round-trip a workspace byte for byte (deletions, binary files, exec bits, symlinks, odd names) and never
 * change the workspace's own `.git`; ignored, oversized and nested-repository paths are skipped, reported and
 * left alone; a restore is itself undone by restoring its undo point.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidRequestError,
  NotFoundError,
  WorkspaceChangedError,
  WorkspaceTooLargeError,
} from '../../src/core/errors.ts';
import type { CheckpointLimits } from '../../src/workspace/checkpoint-limits.ts';
import { ShadowGit } from '../../src/workspace/shadow-git.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { plainGit, treeState } from './tree-state.ts';

const hasGit = requirement('git', hasExecutable('git'));

/** Every byte value, and a NUL early on, so git sees a binary file. */
const BINARY = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 7) % 256));
/** Not valid UTF-8: a file system name is bytes. */
const LATIN1_NAME = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]);

describe.skipIf(!hasGit)('ShadowGit', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  let shadowDir: string;

  beforeEach(() => {
    temp = makeTempDir('mp-checkpoints-');
    root = join(temp.path, 'workspace');
    shadowDir = join(temp.path, 'data', 'checkpoints', 'workspace.git');
    mkdirSync(root);
  });
  afterEach(() => temp.remove());

  function shadow(limits: Partial<CheckpointLimits> = {}): ShadowGit {
    return new ShadowGit({ workspaceRoot: root, shadowDir, limits });
  }

  function write(path: string, content: string | Buffer, mode?: number): void {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    if (mode !== undefined) chmodSync(join(root, path), mode);
  }

  /** The workspace's own repository, with a commit, a hook, a stash-like ref and an untracked file. */
  function ownRepository(): void {
    write('README.md', '# project\n');
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    plainGit(root, ['add', 'README.md']);
    plainGit(root, ['commit', '--quiet', '-m', 'first']);
    write('.git/hooks/pre-commit', '#!/bin/sh\nexit 1\n', 0o755);
  }

  function stateA(): void {
    ownRepository();
    write('src/main.ts', 'export const answer = 42;\n');
    write('src/deep/er/nested.txt', 'deep\n');
    write('crlf.txt', 'one\r\ntwo\r\n');
    write('ident.txt', '$Id$\nno newline at the end');
    write('empty.txt', '');
    write('image.bin', BINARY);
    write('run.sh', '#!/bin/sh\necho run\n', 0o755);
    write('name with spaces.txt', 'spaces\n');
    write('line\nbreak.txt', 'a newline in the name\n');
    write('ünïcødé 名前.txt', 'unicode\n');
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), LATIN1_NAME]), 'latin-1 name\n');
    write('will-become-dir', 'a file first\n');
    write('dir-will-become-file/inner.txt', 'inside\n');
    symlinkSync('src/main.ts', join(root, 'link-to-file'));
    symlinkSync('src', join(root, 'link-to-dir'));
    symlinkSync('does/not/exist', join(root, 'dangling'));
  }

  function stateB(): void {
    write('src/main.ts', 'export const answer = 43;\nexport const more = true;\n');
    rmSync(join(root, 'src/deep'), { recursive: true });
    write('image.bin', Buffer.concat([BINARY, Buffer.from([0, 1, 2])]));
    chmodSync(join(root, 'run.sh'), 0o644);
    chmodSync(join(root, 'crlf.txt'), 0o755);
    write('new/file.txt', 'created in B\n');
    rmSync(join(root, 'name with spaces.txt'));
    rmSync(join(root, 'will-become-dir'));
    write('will-become-dir/now.txt', 'a directory now\n');
    rmSync(join(root, 'dir-will-become-file'), { recursive: true });
    write('dir-will-become-file', 'a file now\n');
    rmSync(join(root, 'link-to-file'));
    symlinkSync('crlf.txt', join(root, 'link-to-file'));
    rmSync(join(root, 'dangling'));
    write('dangling', 'a file where a symlink was\n');
  }

  it('restores a workspace byte for byte, undoes the restore, and never changes its own .git', async () => {
    stateA();
    const ownGit = treeState(join(root, '.git'));
    const checkpoints = shadow();
    const a = await checkpoints.snapshot('A');
    expect(a.created).toBe(true);
    expect(a.skipped).toEqual([]);
    const inA = treeState(root, ['.git']);

    stateB();
    const b = await checkpoints.snapshot('B');
    const inB = treeState(root, ['.git']);
    expect(b.created).toBe(true);
    expect(b.commit).not.toBe(a.commit);

    const restored = await checkpoints.restore(a.commit);
    expect(treeState(root, ['.git'])).toEqual(inA);
    expect(restored.undoCommit).toBe(b.commit);
    expect(restored.leftAlone).toEqual([]);

    const undone = await checkpoints.restore(restored.undoCommit);
    expect(treeState(root, ['.git'])).toEqual(inB);
    expect(undone.undoCommit).toBe(restored.commit);

    await checkpoints.restore(a.commit);
    expect(treeState(root, ['.git'])).toEqual(inA);
    expect(treeState(join(root, '.git'))).toEqual(ownGit);
    // The workspace's repository still sees only its untracked files, as before.
    expect(plainGit(root, ['log', '--format=%s'])).toBe('first\n');
  });

  it('says what a snapshot changed, and returns the last checkpoint when nothing did', async () => {
    write('keep.txt', 'keep\n');
    write('edit.txt', 'one\ntwo\n');
    write('gone.txt', 'gone\n');
    write('image.bin', BINARY);
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    expect(first.files.map((file) => [file.status, file.path])).toEqual([
      ['A', 'edit.txt'],
      ['A', 'gone.txt'],
      ['A', 'image.bin'],
      ['A', 'keep.txt'],
    ]);

    write('edit.txt', 'one\n2\nthree\n');
    rmSync(join(root, 'gone.txt'));
    write('image.bin', Buffer.concat([BINARY, BINARY]));
    write('fresh.txt', 'fresh\n');
    const second = await checkpoints.snapshot('second');
    expect(second).toMatchObject({ created: true, changedFiles: 4, insertions: 3, deletions: 2 });
    expect(second.files).toEqual([
      expect.objectContaining({ status: 'M', path: 'edit.txt', insertions: 2, deletions: 1, binary: false }),
      expect.objectContaining({ status: 'A', path: 'fresh.txt', insertions: 1, newMode: '100644' }),
      expect.objectContaining({ status: 'D', path: 'gone.txt', deletions: 1, oldMode: '100644' }),
      expect.objectContaining({ status: 'M', path: 'image.bin', binary: true, insertions: 0 }),
    ]);

    const again = await checkpoints.snapshot('nothing changed');
    expect(again).toMatchObject({ commit: second.commit, created: false, changedFiles: 0, files: [] });
    expect(await checkpoints.head()).toBe(second.commit);
  });

  it('diffs two checkpoints with renames, and a checkpoint against the worktree', async () => {
    write('old-name.txt', 'a\nb\nc\nd\ne\n');
    write('other.txt', 'x\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    rmSync(join(root, 'old-name.txt'));
    write('new-name.txt', 'a\nb\nc\nd\ne\nf\n');
    write('tool.sh', '#!/bin/sh\n', 0o755);
    const second = await checkpoints.snapshot('second');

    const diff = await checkpoints.diff(first.commit, second.commit);
    expect(diff.files.map((file) => [file.status, file.oldPath, file.path])).toEqual([
      ['R', 'old-name.txt', 'new-name.txt'],
      ['A', undefined, 'tool.sh'],
    ]);
    expect(diff.text).toContain('rename from old-name.txt\nrename to new-name.txt\n');
    expect(diff.text).toContain('new file mode 100755');
    expect(diff.truncated).toBe(false);

    write('other.txt', 'y\n');
    const worktree = await checkpoints.diffAgainstWorktree(second.commit);
    expect(worktree.files.map((file) => [file.status, file.path])).toEqual([['M', 'other.txt']]);
    expect(worktree.text).toContain('-x\n+y\n');
    // The comparison did not make a checkpoint.
    expect(await checkpoints.head()).toBe(second.commit);

    const cut = await shadow({ maxDiffBytes: 40 }).diff(first.commit, second.commit);
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(40);
    expect(cut.files).toHaveLength(2);
  });

  it('leaves what .gitignore ignores out of checkpoints, and a restore leaves it alone', async () => {
    write('.gitignore', 'build/\n*.log\n');
    write('src/app.ts', 'app\n');
    write('build/out.js', 'built\n');
    write('debug.log', 'log one\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    expect(first.files.map((file) => file.path)).toEqual(['.gitignore', 'src/app.ts']);

    write('build/out.js', 'built again\n');
    write('debug.log', 'log two\n');
    write('src/app.ts', 'app changed\n');
    const restored = await checkpoints.restore(first.commit);
    expect(readFileSync(join(root, 'src/app.ts'), 'utf8')).toBe('app\n');
    expect(readFileSync(join(root, 'build/out.js'), 'utf8')).toBe('built again\n');
    expect(readFileSync(join(root, 'debug.log'), 'utf8')).toBe('log two\n');
    expect(restored.changedFiles).toBe(1);
  });

  it('drops files a changed .gitignore now ignores, and a restore does not overwrite them', async () => {
    write('data/table.csv', 'v1\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    expect(first.files.map((file) => file.path)).toEqual(['data/table.csv']);

    write('.gitignore', 'data/\n');
    write('data/table.csv', 'v2, unrecorded\n');
    const second = await checkpoints.snapshot('ignore data');
    expect(second.files.map((file) => [file.status, file.path])).toEqual([
      ['A', '.gitignore'],
      ['D', 'data/table.csv'],
    ]);

    const restored = await checkpoints.restore(first.commit);
    expect(restored.leftAlone).toEqual([{ path: 'data/table.csv', reason: 'not-recorded' }]);
    expect(readFileSync(join(root, 'data/table.csv'), 'utf8')).toBe('v2, unrecorded\n');
    expect(existsSync(join(root, '.gitignore'))).toBe(false);
  });

  it('skips and reports files over the size limit, drops one that grew past it, and leaves them alone', async () => {
    const limits = { maxFileBytes: 1000 };
    write('small.txt', 'small\n');
    write('grows.dat', 'x'.repeat(100));
    write('huge.dat', 'h'.repeat(5000));
    const checkpoints = shadow(limits);
    const first = await checkpoints.snapshot('first');
    expect(first.files.map((file) => file.path)).toEqual(['grows.dat', 'small.txt']);
    expect(first.skipped).toEqual([{ path: 'huge.dat', reason: 'too-large', sizeBytes: 5000 }]);

    write('grows.dat', 'y'.repeat(2000));
    const second = await checkpoints.snapshot('grown');
    expect(second.files.map((file) => [file.status, file.path])).toEqual([['D', 'grows.dat']]);
    expect(second.skipped).toEqual([
      { path: 'grows.dat', reason: 'too-large', sizeBytes: 2000 },
      { path: 'huge.dat', reason: 'too-large', sizeBytes: 5000 },
    ]);

    const restored = await checkpoints.restore(first.commit);
    expect(restored.leftAlone).toEqual([{ path: 'grows.dat', reason: 'too-large' }]);
    expect(readFileSync(join(root, 'grows.dat'), 'utf8')).toBe('y'.repeat(2000));
    expect(readFileSync(join(root, 'huge.dat'), 'utf8')).toBe('h'.repeat(5000));
  });

  it('refuses a workspace with more files than the limit, recording nothing', async () => {
    for (let index = 0; index < 6; index += 1) write(`file-${index}.txt`, `${index}\n`);
    const checkpoints = shadow({ maxFiles: 5 });
    const refusal = checkpoints.snapshot('too many');
    await expect(refusal).rejects.toBeInstanceOf(WorkspaceTooLargeError);
    await expect(refusal).rejects.toThrow(/6 files to checkpoint, more than the limit of 5: add the folders/);
    expect(await checkpoints.head()).toBeNull();
    rmSync(join(root, 'file-5.txt'));
    expect((await checkpoints.snapshot('five')).changedFiles).toBe(5);
  });

  it('skips a nested repository and leaves it alone on restore', async () => {
    write('top.txt', 'top\n');
    write('vendor/lib/code.c', 'int x;\n');
    plainGit(join(root, 'vendor/lib'), ['init', '--quiet']);
    plainGit(join(root, 'vendor/lib'), ['add', 'code.c']);
    plainGit(join(root, 'vendor/lib'), ['commit', '--quiet', '-m', 'lib']);
    write('vendor/empty-repo/file.txt', 'no commit yet\n');
    plainGit(join(root, 'vendor/empty-repo'), ['init', '--quiet']);
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    expect(first.files.map((file) => file.path)).toEqual(['top.txt']);
    expect(first.skipped).toEqual([
      { path: 'vendor/empty-repo', reason: 'nested-repository' },
      { path: 'vendor/lib', reason: 'nested-repository' },
    ]);

    const nested = treeState(join(root, 'vendor'));
    write('top.txt', 'changed\n');
    write('vendor/lib/code.c', 'int y;\n');
    await checkpoints.restore(first.commit);
    expect(readFileSync(join(root, 'top.txt'), 'utf8')).toBe('top\n');
    expect(readFileSync(join(root, 'vendor/lib/code.c'), 'utf8')).toBe('int y;\n');
    expect({ ...treeState(join(root, 'vendor')), 'lib/code.c': nested['lib/code.c'] }).toEqual(nested);
  });

  it('skips a name git refuses to record, and reports it', async () => {
    write('fine.txt', 'fine\n');
    write('.GIT', 'a file whose name git takes for its own directory\n');
    const first = await shadow().snapshot('first');
    expect(first.files.map((file) => file.path)).toEqual(['fine.txt']);
    expect(first.skipped).toEqual([{ path: '.GIT', reason: 'invalid-path' }]);
  });

  it('records files byte for byte whatever .gitattributes asks (eol, ident, encoding)', async () => {
    write(
      '.gitattributes',
      '* text eol=crlf ident working-tree-encoding=UTF-16\n*.txt filter=lfs diff=lfs\n',
    );
    write('lf.md', 'one\ntwo\n$Id$\n');
    write('crlf.txt', 'one\r\ntwo\r\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    const inFirst = treeState(root);
    const stored = spawnSync('git', ['cat-file', 'blob', `${first.commit}:lf.md`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_DIR: shadowDir },
    });
    expect(stored.stdout.toString()).toBe('one\ntwo\n$Id$\n');

    write('lf.md', 'changed\n');
    rmSync(join(root, 'crlf.txt'));
    await checkpoints.restore(first.commit);
    expect(treeState(root)).toEqual(inFirst);
  });

  it('removes directories a restore empties and leaves empty directories it never recorded', async () => {
    write('a.txt', 'a\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    write('made/deep/file.txt', 'later\n');
    mkdirSync(join(root, 'empty-dir'));
    await checkpoints.restore(first.commit);
    expect(existsSync(join(root, 'made'))).toBe(false);
    expect(existsSync(join(root, 'empty-dir'))).toBe(true);
  });

  it('restores nothing when a file changes between the undo point and the checkout', async () => {
    write('a.txt', 'one\n');
    write('b.txt', 'one\n');
    const first = await shadow().snapshot('first');
    write('a.txt', 'two\n');
    write('b.txt', 'two\n');
    // A command still running in the sandbox writes just as git is about to check out.
    const racing = new ShadowGit({
      workspaceRoot: root,
      shadowDir,
      onGitProcess: (args) => {
        if (args[0] === 'read-tree' && args.includes('-u')) write('a.txt', 'three\n');
      },
    });
    const refusal = racing.restore(first.commit);
    await expect(refusal).rejects.toBeInstanceOf(WorkspaceChangedError);
    await expect(refusal).rejects.toThrow(/a\.txt.*nothing was restored/);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('three\n');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('two\n');
  });

  it('runs one operation at a time on a shadow repository, whichever object starts it', async () => {
    for (let index = 0; index < 20; index += 1) write(`file-${index}.txt`, `${index}\n`);
    const one = shadow();
    const other = shadow();
    // Every snapshot is among the results: which of them takes the lock first (and so makes the commit) is
    // the lock's to decide, not the order they were asked in.
    const first = one.snapshot('first');
    const [diff, ...snapshots] = await Promise.all([
      first.then((snapshot) => one.diffAgainstWorktree(snapshot.commit)),
      first,
      one.snapshot('one'),
      other.snapshot('other'),
      other.snapshot('again'),
    ]);
    expect(new Set(snapshots.map((snapshot) => snapshot.commit)).size).toBe(1);
    expect(snapshots.filter((snapshot) => snapshot.created)).toHaveLength(1);
    expect(diff.files).toEqual([]);
  });

  it('clears the lock files a crashed process left, then works', async () => {
    write('a.txt', 'a\n');
    const checkpoints = shadow();
    await checkpoints.snapshot('first');
    const gone = spawnSync('true').pid;
    writeFileSync(join(shadowDir, 'mp-checkpoint.lock'), `${hostname()}\n${gone}\n`);
    writeFileSync(join(shadowDir, 'index.lock'), '');
    writeFileSync(join(shadowDir, 'refs', 'heads', 'checkpoints.lock'), '');
    write('a.txt', 'b\n');
    const after = await shadow().snapshot('after the crash');
    expect(after.files.map((file) => [file.status, file.path])).toEqual([['M', 'a.txt']]);
    expect(existsSync(join(shadowDir, 'mp-checkpoint.lock'))).toBe(false);
  });

  it('refuses a commit it does not hold, and a shadow repository inside the workspace', async () => {
    write('a.txt', 'a\n');
    const checkpoints = shadow();
    const first = await checkpoints.snapshot('first');
    await expect(checkpoints.restore('0'.repeat(40))).rejects.toBeInstanceOf(NotFoundError);
    await expect(checkpoints.diff(first.commit, '--output=/tmp/x')).rejects.toBeInstanceOf(NotFoundError);
    const tree = spawnSync('git', ['rev-parse', `${first.commit}^{tree}`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_DIR: shadowDir },
      encoding: 'utf8',
    }).stdout.trim();
    await expect(checkpoints.restore(tree)).rejects.toBeInstanceOf(NotFoundError);

    const inside = new ShadowGit({ workspaceRoot: root, shadowDir: join(root, '.checkpoints') });
    await expect(inside.snapshot('x')).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
