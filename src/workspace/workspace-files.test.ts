/**
 * read_file, write_file and edit_file on real temporary folders. Confinement (paths and links that lead out)
 * is pinned in test/security/file-edits-stay-in-workspace.test.ts; this file pins what a file becomes.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { editWorkspaceFile, readWorkspaceFile, writeWorkspaceFile } from './workspace-files.ts';

let temp: { path: string; remove: () => void };
let root: string;

beforeEach(() => {
  temp = makeTempDir('mp-workspace-files-');
  root = join(temp.path, 'ws');
  mkdirSync(root);
});
afterEach(() => temp.remove());

const scope = () => ({ root });
const put = (name: string, content: string | Uint8Array) => writeFileSync(join(root, name), content);
const bytesOf = (name: string) => readFileSync(join(root, name));

describe('readWorkspaceFile', () => {
  it('returns numbered lines, the line count and a hash of the whole file', async () => {
    put('a.txt', 'one\ntwo\nthree\n');
    const read = await readWorkspaceFile(scope(), 'a.txt');
    expect(read).toMatchObject({
      ok: true,
      path: 'a.txt',
      lines: ['one', 'two', 'three'],
      startLine: 1,
      endLine: 3,
      lineCount: 3,
      contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      text: 'a.txt (3 lines)\n     1\tone\n     2\ttwo\n     3\tthree',
    });
    const part = await readWorkspaceFile(scope(), 'a.txt', { startLine: 2, endLine: 2 });
    expect(part).toMatchObject({
      ok: true,
      lines: ['two'],
      text: 'a.txt, lines 2-2 of 3 (ask for start_line 3 to read on)\n     2\ttwo',
    });
    expect(part.ok && read.ok && part.contentHash === read.contentHash).toBe(true);
  });

  it('caps the lines returned when no end is asked for, and refuses a start past the end', async () => {
    put('long.txt', Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n'));
    expect(await readWorkspaceFile(scope(), 'long.txt', { maxLines: 10 })).toMatchObject({
      ok: true,
      endLine: 10,
      lineCount: 50,
    });
    expect(await readWorkspaceFile(scope(), 'long.txt', { startLine: 60 })).toMatchObject({
      ok: false,
      problem: { kind: 'line_range', startLine: 60, lineCount: 50 },
    });
  });

  it('refuses missing files, folders, binary files and pipes without waiting on them', async () => {
    mkdirSync(join(root, 'src'));
    put('image.png', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x00, 0x00));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    expect(await readWorkspaceFile(scope(), 'nope.txt')).toMatchObject({
      ok: false,
      problem: { kind: 'not_found', action: 'read' },
      text: expect.stringContaining('read_file nope.txt failed. No such file'),
    });
    expect(await readWorkspaceFile(scope(), 'missing/dir/x')).toMatchObject({
      ok: false,
      problem: { kind: 'not_found' },
    });
    expect(await readWorkspaceFile(scope(), 'src')).toMatchObject({
      ok: false,
      problem: { kind: 'not_a_file', actual: 'directory' },
    });
    expect(await readWorkspaceFile(scope(), 'image.png')).toMatchObject({
      ok: false,
      problem: { kind: 'not_text', reason: 'binary' },
    });
    expect(await readWorkspaceFile(scope(), 'pipe')).toMatchObject({
      ok: false,
      problem: { kind: 'not_a_file', actual: 'other' },
    });
  });

  it('refuses a file above the size limit', async () => {
    put('big.txt', 'x'.repeat(2048));
    expect(await readWorkspaceFile({ root, maxFileBytes: 1024 }, 'big.txt')).toMatchObject({
      ok: false,
      problem: { kind: 'too_large', bytes: 2048, limit: 1024 },
    });
  });

  it('accepts absolute paths where the sandbox shows the workspace', async () => {
    put('a.txt', 'x\n');
    expect(await readWorkspaceFile({ root, insideRoot: '/workspace' }, '/workspace/a.txt')).toMatchObject({
      ok: true,
      path: 'a.txt',
    });
    expect(await readWorkspaceFile({ root }, join(root, 'a.txt'))).toMatchObject({ ok: true, path: 'a.txt' });
  });
});

describe('editWorkspaceFile', () => {
  it('applies the blocks, returns the diff and the new hash, and leaves no temporary file', async () => {
    put('a.ts', 'const port = 80;\nconst host = "x";\n');
    const read = await readWorkspaceFile(scope(), 'a.ts');
    const edit = await editWorkspaceFile(
      scope(),
      'a.ts',
      [{ oldText: 'port = 80', newText: 'port = 8080' }],
      {
        expectedHash: read.ok ? read.contentHash : '',
      },
    );
    expect(edit).toMatchObject({
      ok: true,
      path: 'a.ts',
      created: false,
      dryRun: false,
      diff: '--- a/a.ts\n+++ b/a.ts\n@@ -1,2 +1,2 @@\n-const port = 80;\n+const port = 8080;\n const host = "x";\n',
      text: 'edit_file a.ts: applied 1 edit; the file has 2 lines.',
    });
    expect(bytesOf('a.ts').toString()).toBe('const port = 8080;\nconst host = "x";\n');
    const after = await readWorkspaceFile(scope(), 'a.ts');
    expect(edit.ok && after.ok && edit.contentHash === after.contentHash).toBe(true);
    expect(readdirSync(root)).toEqual(['a.ts']);
  });

  it('a failed edit leaves the file byte for byte as it was, same inode and time', async () => {
    const original = Buffer.from('\uFEFFkeep\r\nthis\r\nas is\n', 'utf8');
    put('f.txt', original);
    const before = statSync(join(root, 'f.txt'));
    const edit = await editWorkspaceFile(scope(), 'f.txt', [
      { oldText: 'keep', newText: 'changed' },
      { oldText: 'not there', newText: '' },
    ]);
    expect(edit).toMatchObject({ ok: false, problem: { kind: 'edit_blocks' } });
    expect(bytesOf('f.txt').equals(original)).toBe(true);
    const after = statSync(join(root, 'f.txt'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readdirSync(root)).toEqual(['f.txt']);
  });

  it('keeps CRLF, the BOM and the bytes of untouched lines', async () => {
    put('win.txt', Buffer.from('\uFEFFa\r\nb\nc\r\n', 'utf8'));
    await editWorkspaceFile(scope(), 'win.txt', [{ oldText: 'c\n', newText: 'C\nD\n' }]);
    expect(bytesOf('win.txt').toString('utf8')).toBe('\uFEFFa\r\nb\nC\r\nD\r\n');
  });

  it("keeps the file's mode, set-user-ID bit included", async () => {
    put('run.sh', '#!/bin/sh\necho hi\n');
    chmodSync(join(root, 'run.sh'), 0o4751);
    await editWorkspaceFile(scope(), 'run.sh', [{ oldText: 'hi', newText: 'hello' }]);
    expect(statSync(join(root, 'run.sh')).mode & 0o7777).toBe(0o4751);
    expect(bytesOf('run.sh').toString()).toBe('#!/bin/sh\necho hello\n');
  });

  it('refuses when the file changed since it was read, or was deleted since', async () => {
    put('a.txt', 'one\n');
    const read = await readWorkspaceFile(scope(), 'a.txt');
    const hash = read.ok ? read.contentHash : '';
    put('a.txt', 'one changed\n');
    const stale = await editWorkspaceFile(scope(), 'a.txt', [{ oldText: 'one', newText: 'two' }], {
      expectedHash: hash,
    });
    expect(stale).toMatchObject({ ok: false, problem: { kind: 'changed_since_read' } });
    expect(bytesOf('a.txt').toString()).toBe('one changed\n');
    unlinkSync(join(root, 'a.txt'));
    expect(
      await editWorkspaceFile(scope(), 'a.txt', [{ oldText: 'one', newText: 'two' }], { expectedHash: hash }),
    ).toMatchObject({ ok: false, problem: { kind: 'changed_since_read' } });
    expect(await editWorkspaceFile(scope(), 'a.txt', [{ oldText: 'one', newText: 'two' }])).toMatchObject({
      ok: false,
      problem: { kind: 'not_found', action: 'edit' },
    });
    expect(readdirSync(root)).toEqual([]);
  });

  it('a dry run computes the diff and writes nothing, not even folders', async () => {
    put('a.txt', 'x\n');
    const dry = await editWorkspaceFile(scope(), 'a.txt', [{ oldText: 'x', newText: 'y' }], { dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, before: 'x\n', after: 'y\n' });
    expect(bytesOf('a.txt').toString()).toBe('x\n');
    const created = await writeWorkspaceFile(scope(), 'new/deep/b.txt', 'b\n', { dryRun: true });
    expect(created).toMatchObject({
      ok: true,
      created: true,
      diff: '--- /dev/null\n+++ b/new/deep/b.txt\n@@ -0,0 +1,1 @@\n+b\n',
    });
    expect(readdirSync(root)).toEqual(['a.txt']);
  });

  it('creates a missing file from a single empty old text', async () => {
    expect(await editWorkspaceFile(scope(), 'n.txt', [{ oldText: '', newText: 'new\n' }])).toMatchObject({
      ok: true,
      created: true,
    });
    expect(bytesOf('n.txt').toString()).toBe('new\n');
  });
});

describe('writeWorkspaceFile', () => {
  it('creates the file and its missing folders inside the workspace', async () => {
    const written = await writeWorkspaceFile(scope(), 'docs/guide/intro.md', '# Intro\n');
    expect(written).toMatchObject({
      ok: true,
      created: true,
      previousHash: null,
      path: 'docs/guide/intro.md',
    });
    expect(bytesOf('docs/guide/intro.md').toString()).toBe('# Intro\n');
    expect(statSync(join(root, 'docs/guide/intro.md')).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it("replaces a file's content in its line ending, keeping its mode", async () => {
    put('w.txt', 'old\r\n');
    chmodSync(join(root, 'w.txt'), 0o600);
    expect(await writeWorkspaceFile(scope(), 'w.txt', 'new\nfile\n')).toMatchObject({
      ok: true,
      created: false,
    });
    expect(bytesOf('w.txt').toString()).toBe('new\r\nfile\r\n');
    expect(statSync(join(root, 'w.txt')).mode & 0o7777).toBe(0o600);
  });

  it('refuses to write over a folder, or below a file', async () => {
    mkdirSync(join(root, 'dir'));
    put('file', 'x');
    expect(await writeWorkspaceFile(scope(), 'dir', 'x')).toMatchObject({
      ok: false,
      problem: { kind: 'not_a_file' },
    });
    expect(await writeWorkspaceFile(scope(), 'file/inner.txt', 'x')).toMatchObject({
      ok: false,
      problem: { kind: 'parent_not_a_folder' },
    });
    rmSync(join(root, 'file'));
  });
});
