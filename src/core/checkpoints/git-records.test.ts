import { describe, expect, it } from 'vitest';
import { bytePath, displayPath, parseRawNumstat, parseStatus } from './git-records.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

function nul(...records: string[]): Buffer {
  return Buffer.from(records.map((record) => `${record}\0`).join(''), 'latin1');
}

describe('git records', () => {
  it('reads raw records followed by numstat, renames and binary files included', () => {
    const output = nul(
      `:100644 100644 ${A} ${B} M`,
      'edit.txt',
      `:100644 100644 ${A} ${A} R100`,
      'old name.txt',
      'new\nname.txt',
      `:000000 100755 ${Z} ${B} A`,
      'tool.sh',
      `:100644 000000 ${A} ${Z} D`,
      'image.png',
      `:100644 120000 ${A} ${B} T`,
      'link',
      '2\t1\tedit.txt',
      '0\t0\t',
      'old name.txt',
      'new\nname.txt',
      '1\t0\ttool.sh',
      '-\t-\timage.png',
      '1\t1\tlink',
    );
    expect(parseRawNumstat(output)).toEqual([
      {
        status: 'M',
        path: 'edit.txt',
        oldMode: '100644',
        newMode: '100644',
        binary: false,
        insertions: 2,
        deletions: 1,
      },
      {
        status: 'R',
        oldPath: 'old name.txt',
        path: 'new\nname.txt',
        oldMode: '100644',
        newMode: '100644',
        binary: false,
        insertions: 0,
        deletions: 0,
      },
      {
        status: 'A',
        path: 'tool.sh',
        oldMode: '000000',
        newMode: '100755',
        binary: false,
        insertions: 1,
        deletions: 0,
      },
      {
        status: 'D',
        path: 'image.png',
        oldMode: '100644',
        newMode: '000000',
        binary: true,
        insertions: 0,
        deletions: 0,
      },
      {
        status: 'T',
        path: 'link',
        oldMode: '100644',
        newMode: '120000',
        binary: false,
        insertions: 1,
        deletions: 1,
      },
    ]);
    expect(parseRawNumstat(Buffer.alloc(0))).toEqual([]);
  });

  it('reads porcelain status, a nested repository ending in a slash', () => {
    expect(parseStatus(nul(' M edited.txt', '?? new file', '?? vendor/lib/', 'D  staged-away'))).toEqual([
      { index: ' ', worktree: 'M', path: 'edited.txt' },
      { index: '?', worktree: '?', path: 'new file' },
      { index: '?', worktree: '?', path: 'vendor/lib/' },
      { index: 'D', worktree: ' ', path: 'staged-away' },
    ]);
  });

  it('keeps path bytes as they are, and shows them as text', () => {
    const utf8 = Buffer.from('名前/ü.txt', 'utf8');
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const [named, invalid] = parseStatus(
      Buffer.concat([Buffer.from('?? '), utf8, Buffer.from('\0?? '), latin1, Buffer.from('\0')]),
    );
    expect(displayPath(named?.path ?? '')).toBe('名前/ü.txt');
    expect(bytePath('名前/ü.txt')).toBe(named?.path);
    expect(Buffer.from(invalid?.path ?? '', 'latin1')).toEqual(latin1);
    expect(displayPath(invalid?.path ?? '')).toBe('caf\uFFFD');
  });
});
