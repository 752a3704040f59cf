/**
 * Checkpoints and the Commit action run git on the host, over files the sandboxed model can write: its
 * `.gitattributes` and, for the workspace's own repository, `.git/config` and `.git/hooks`. None of what
 * those name may run. Every program below would create a marker file if git started it: a clean or smudge
 * filter, a textconv, an fsmonitor, hooks (pre-commit, commit-msg, post-commit, post-index-change), a
 * signing program.
 *
 * For the shadow repository the definitions are planted in its own config file and hooks folder (as an older
 * version or someone with the data dir could have left them), since the workspace cannot reach it: only the
 * attributes of the workspace and what the shadow's config says decide what git would run there.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/core/errors.ts';
import { ShadowGit } from '../../src/workspace/shadow-git.ts';
import { commitWork, diffForCommitMessage } from '../../src/workspace/workspace-repository.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { plainGit } from '../workspace/tree-state.ts';

const hasGit = requirement('git', hasExecutable('git'));

describe.skipIf(!hasGit)('git run on the host for a workspace starts no program the repository names', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  let marker: string;
  let program: string;

  beforeEach(() => {
    temp = makeTempDir('mp-checkpoint-programs-');
    root = join(temp.path, 'workspace');
    marker = join(temp.path, 'ran');
    mkdirSync(root);
    // Records which way it was started, and passes its input through like a filter.
    program = join(temp.path, 'program.sh');
    writeFileSync(program, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
    chmodSync(program, 0o755);
  });
  afterEach(() => temp.remove());

  function ran(): string {
    return existsSync(marker) ? readFileSync(marker, 'utf8') : '';
  }

  /** Config lines that make git start `program` for every way a repository can ask for one. */
  function plantedConfig(): string {
    return [
      '[core]',
      `\tfsmonitor = ${program}`,
      '[filter "evil"]',
      `\tclean = ${program} clean`,
      `\tsmudge = ${program} smudge`,
      '\trequired = true',
      '[diff "evil"]',
      `\ttextconv = ${program} textconv`,
      '[gpg]',
      `\tprogram = ${program}`,
      '[commit]',
      '\tgpgSign = true',
      '',
    ].join('\n');
  }

  function plantHooks(hooksDir: string): void {
    mkdirSync(hooksDir, { recursive: true });
    for (const hook of [
      'pre-commit',
      'commit-msg',
      'post-commit',
      'post-index-change',
      'reference-transaction',
    ]) {
      writeFileSync(join(hooksDir, hook), `#!/bin/sh\necho ${hook} >> '${marker}'\n`);
      chmodSync(join(hooksDir, hook), 0o755);
    }
  }

  it('checkpoints: snapshot, diff, worktree diff and restore run no filter, textconv, fsmonitor or hook', async () => {
    const shadowDir = join(temp.path, 'data', 'checkpoints', 'workspace.git');
    writeFileSync(join(root, '.gitattributes'), '* filter=evil diff=evil\n');
    writeFileSync(join(root, 'code.txt'), 'version one\n');
    const checkpoints = new ShadowGit({ workspaceRoot: root, shadowDir });
    const first = await checkpoints.snapshot('first');
    writeFileSync(
      join(shadowDir, 'config'),
      `${readFileSync(join(shadowDir, 'config'), 'utf8')}${plantedConfig()}`,
    );
    plantHooks(join(shadowDir, 'hooks'));
    writeFileSync(
      join(shadowDir, 'config'),
      `${readFileSync(join(shadowDir, 'config'), 'utf8')}[core]\n\thooksPath = hooks\n`,
    );

    writeFileSync(join(root, 'code.txt'), 'version two\n');
    const second = await checkpoints.snapshot('second');
    const diff = await checkpoints.diff(first.commit, second.commit);
    writeFileSync(join(root, 'code.txt'), 'version three\n');
    await checkpoints.diffAgainstWorktree(first.commit);
    await checkpoints.restore(first.commit);

    expect(ran()).toBe('');
    expect(diff.text).toContain('-version one\n+version two\n');
    expect(readFileSync(join(root, 'code.txt'), 'utf8')).toBe('version one\n');
  });

  it('Commit and its draft diff run no filter, textconv, fsmonitor, hook or signing program', async () => {
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(join(root, '.gitattributes'), '*.c diff=evil\n');
    writeFileSync(join(root, 'main.c'), 'int main;\n');
    writeFileSync(
      join(root, '.git', 'config'),
      `${readFileSync(join(root, '.git', 'config'), 'utf8')}${plantedConfig()}`,
    );
    plantHooks(join(root, '.git', 'hooks'));

    const draft = await diffForCommitMessage(root);
    const outcome = await commitWork(root, {
      message: 'Add main',
      author: { name: 'Ana', email: 'ana@example.com' },
    });

    expect(ran()).toBe('');
    expect(draft.text).toContain('+int main;\n');
    expect(outcome.committed).toBe(true);
    expect(plainGit(root, ['log', '--format=%s|%an|%G?'])).toBe('Add main|Ana|N\n');
  });

  it('refuses to commit a path that uses a filter the repository defines, running nothing', async () => {
    plainGit(root, ['init', '--quiet', '--initial-branch=main']);
    writeFileSync(
      join(root, '.git', 'config'),
      `${readFileSync(join(root, '.git', 'config'), 'utf8')}${plantedConfig()}`,
    );
    writeFileSync(join(root, '.gitattributes'), '*.bin filter=evil\n');
    writeFileSync(join(root, 'data.bin'), 'payload\n');

    const refusal = commitWork(root, {
      message: 'Add data',
      author: { name: 'Ana', email: 'ana@example.com' },
    });
    await expect(refusal).rejects.toBeInstanceOf(ConflictError);
    await expect(refusal).rejects.toThrow(/data\.bin uses the git filter "evil".*Commit from a terminal/);
    expect(ran()).toBe('');
    expect(plainGit(root, ['rev-list', '--all'])).toBe('');
  });
});
