/**
 * read_file, write_file and edit_file never reach outside the workspace, whatever the path says (issue 8,
 * item 1): `..`, absolute paths, `~`, a symlinked folder, a symlink as the last part (to an existing file or
 * to one a write would create), and a folder or file swapped for a symlink between the check and the open
 * (staged deterministically through the scope's `beforeOpen`). Each case also checks that nothing outside
 * changed: a snapshot of the outside folder (names, bytes, modes) is compared before and after. Paths the
 * sandbox hides stay out of reach even inside the workspace.
 */
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceScope } from '../../src/workspace/workspace-files.ts';
import {
  editWorkspaceFile,
  readWorkspaceFile,
  writeWorkspaceFile,
} from '../../src/workspace/workspace-files.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const SECRET = 'outside secret\n';

let temp: { path: string; remove: () => void };
let root: string;
let outside: string;

beforeEach(() => {
  temp = makeTempDir('mp-file-edits-confined-');
  root = join(temp.path, 'ws');
  outside = join(temp.path, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'dir', 'inner.txt'), SECRET);
  writeFileSync(join(root, 'sub', 'file.txt'), 'inside\n');
});
afterEach(() => temp.remove());

/** Every entry under `folder`: path, type, mode and content, to compare before and after. */
function snapshot(folder: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      const content = stats.isFile() ? readFileSync(path, 'utf8') : '';
      entries.push(`${path} ${stats.mode.toString(8)} ${stats.mtimeMs} ${content}`);
      if (stats.isDirectory()) walk(path);
    }
  };
  walk(folder);
  return entries;
}

/** Runs each action on `path`: all refused with `kind`, nothing outside the workspace changed. */
async function expectAllRefused(scope: WorkspaceScope, path: string, kind: string) {
  const before = snapshot(outside);
  const outcomes = [
    await readWorkspaceFile(scope, path),
    await writeWorkspaceFile(scope, path, 'written\n'),
    await editWorkspaceFile(scope, path, [{ oldText: 'outside secret', newText: 'edited' }]),
    await editWorkspaceFile(scope, path, [{ oldText: '', newText: 'created' }]),
  ];
  for (const outcome of outcomes) {
    expect(outcome, path).toMatchObject({ ok: false, problem: { kind } });
    // The refusal says nothing of the outside file's content.
    expect(outcome.ok ? '' : outcome.text).not.toContain('outside secret');
  }
  expect(snapshot(outside)).toEqual(before);
}

describe('the words of the path', () => {
  it('refuses .. that climbs out, however it is spelled', async () => {
    for (const path of [
      '../outside/secret.txt',
      'sub/../../outside/secret.txt',
      './../outside/dir/new.txt',
    ]) {
      await expectAllRefused({ root }, path, 'outside_workspace');
    }
  });

  it('refuses absolute paths outside the workspace and ~, and maps those inside', async () => {
    for (const path of [
      join(outside, 'secret.txt'),
      join(outside, 'new.txt'),
      '/etc/passwd',
      '~/secret.txt',
    ]) {
      await expectAllRefused({ root, insideRoot: '/workspace' }, path, 'outside_workspace');
    }
    expect(
      await readWorkspaceFile({ root, insideRoot: '/workspace' }, '/workspace/sub/file.txt'),
    ).toMatchObject({
      ok: true,
      path: 'sub/file.txt',
    });
  });
});

describe('symlinks', () => {
  it('a symlinked folder that leads out', async () => {
    symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
    for (const path of ['linked-dir/inner.txt', 'linked-dir/new.txt', 'linked-dir/deeper/new.txt']) {
      await expectAllRefused({ root }, path, 'outside_workspace');
    }
  });

  it('a relative symlink that climbs out', async () => {
    symlinkSync('../../outside', join(root, 'sub', 'up'));
    await expectAllRefused({ root }, 'sub/up/secret.txt', 'outside_workspace');
  });

  it('a symlink as the last part, to an existing outside file and to one a write would create', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(join(outside, 'created-by-write.txt'), join(root, 'dangling.txt'));
    await expectAllRefused({ root }, 'link.txt', 'outside_workspace');
    await expectAllRefused({ root }, 'dangling.txt', 'outside_workspace');
    // The links are left as they were: nothing replaced them either.
    expect(lstatSync(join(root, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(root, 'dangling.txt')).isSymbolicLink()).toBe(true);
  });

  it('a link that stays inside is followed, and stays a link', async () => {
    symlinkSync('file.txt', join(root, 'sub', 'alias.txt'));
    const edit = await editWorkspaceFile({ root }, 'sub/alias.txt', [
      { oldText: 'inside', newText: 'edited' },
    ]);
    expect(edit).toMatchObject({ ok: true, path: 'sub/file.txt' });
    expect(readFileSync(join(root, 'sub', 'file.txt'), 'utf8')).toBe('edited\n');
    expect(lstatSync(join(root, 'sub', 'alias.txt')).isSymbolicLink()).toBe(true);
  });

  it('an absolute link target is read as the sandbox shows the workspace', async () => {
    symlinkSync('/workspace/sub/file.txt', join(root, 'made-in-sandbox'));
    expect(await readWorkspaceFile({ root, insideRoot: '/workspace' }, 'made-in-sandbox')).toMatchObject({
      ok: true,
      path: 'sub/file.txt',
    });
    // Without that name the same link leads nowhere inside.
    await expectAllRefused({ root }, 'made-in-sandbox', 'outside_workspace');
  });

  it('a workspace reached through a symlink is confined to where it really is', async () => {
    symlinkSync(root, join(temp.path, 'ws-link'));
    await expectAllRefused(
      { root: join(temp.path, 'ws-link') },
      '../outside/secret.txt',
      'outside_workspace',
    );
    expect(await readWorkspaceFile({ root: join(temp.path, 'ws-link') }, 'sub/file.txt')).toMatchObject({
      ok: true,
    });
  });
});

describe('a swap between the check and the open', () => {
  it('a folder swapped for a symlink to outside is not followed', async () => {
    const swap = () => {
      renameSync(join(root, 'sub'), join(root, 'sub-before'));
      symlinkSync(join(outside, 'dir'), join(root, 'sub'));
    };
    const undo = () => {
      unlinkSync(join(root, 'sub'));
      renameSync(join(root, 'sub-before'), join(root, 'sub'));
    };
    const before = snapshot(outside);
    for (const action of [
      (scope: WorkspaceScope) => readWorkspaceFile(scope, 'sub/inner.txt'),
      (scope: WorkspaceScope) => writeWorkspaceFile(scope, 'sub/inner.txt', 'written\n'),
      (scope: WorkspaceScope) => writeWorkspaceFile(scope, 'sub/new.txt', 'written\n'),
      (scope: WorkspaceScope) =>
        editWorkspaceFile(scope, 'sub/inner.txt', [{ oldText: 'outside', newText: 'x' }]),
    ]) {
      // Resolution sees the real folder (sub/inner.txt does not exist yet, so it is a new file there).
      const outcome = await action({ root, beforeOpen: swap });
      expect(outcome).toMatchObject({ ok: false, problem: { kind: 'path_changed' } });
      undo();
    }
    expect(snapshot(outside)).toEqual(before);
  });

  it('a file swapped for a symlink to outside is not followed, nor replaced', async () => {
    const swap = () => {
      rmSync(join(root, 'sub', 'file.txt'));
      symlinkSync(join(outside, 'secret.txt'), join(root, 'sub', 'file.txt'));
    };
    const before = snapshot(outside);
    for (const action of [
      (scope: WorkspaceScope) => readWorkspaceFile(scope, 'sub/file.txt'),
      (scope: WorkspaceScope) => writeWorkspaceFile(scope, 'sub/file.txt', 'written\n'),
      (scope: WorkspaceScope) =>
        editWorkspaceFile(scope, 'sub/file.txt', [{ oldText: 'outside', newText: 'x' }]),
    ]) {
      writeFileSync(join(root, 'sub', 'file.txt.tmp'), 'inside\n');
      rmSync(join(root, 'sub', 'file.txt'), { force: true });
      renameSync(join(root, 'sub', 'file.txt.tmp'), join(root, 'sub', 'file.txt'));
      const outcome = await action({ root, beforeOpen: swap });
      expect(outcome).toMatchObject({ ok: false, problem: { kind: 'path_changed' } });
      expect(lstatSync(join(root, 'sub', 'file.txt')).isSymbolicLink()).toBe(true);
    }
    expect(snapshot(outside)).toEqual(before);
    expect(readdirSync(join(root, 'sub'))).toEqual(['file.txt']);
  });
});

describe('paths the sandbox hides', () => {
  it('are refused inside the workspace, directly and through a link', async () => {
    mkdirSync(join(root, '.mp-data'));
    writeFileSync(join(root, '.mp-data', 'store.db'), SECRET);
    symlinkSync('.mp-data', join(root, 'data-link'));
    const scope = { root, hiddenPaths: [join(root, '.mp-data')] };
    for (const path of ['.mp-data/store.db', 'data-link/store.db', '.mp-data/new.txt']) {
      const outcomes = [
        await readWorkspaceFile(scope, path),
        await writeWorkspaceFile(scope, path, 'x'),
        await editWorkspaceFile(scope, path, [{ oldText: 'outside secret', newText: 'x' }]),
      ];
      for (const outcome of outcomes)
        expect(outcome, path).toMatchObject({ ok: false, problem: { kind: 'hidden_path' } });
    }
    expect(readdirSync(join(root, '.mp-data'))).toEqual(['store.db']);
    expect(readFileSync(join(root, '.mp-data', 'store.db'), 'utf8')).toBe(SECRET);
  });

  it('a home secret that is a symlink into the workspace stays hidden there', async () => {
    // As in workspace-symlinks.test.ts: ~/.ssh is a link to a folder of the project.
    const home = join(temp.path, 'home');
    mkdirSync(home);
    mkdirSync(join(root, 'keys'));
    writeFileSync(join(root, 'keys', 'id_ed25519'), SECRET);
    symlinkSync(join(root, 'keys'), join(home, '.ssh'));
    const scope = { root, hiddenPaths: [join(home, '.ssh')] };
    expect(await readWorkspaceFile(scope, 'keys/id_ed25519')).toMatchObject({
      ok: false,
      problem: { kind: 'hidden_path' },
    });
    expect(statSync(join(root, 'keys', 'id_ed25519')).size).toBe(SECRET.length);
  });
});
