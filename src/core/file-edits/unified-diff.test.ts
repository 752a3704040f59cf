import { describe, expect, it } from 'vitest';
import { readResultText } from './file-action-result-text.ts';
import { unifiedDiff } from './unified-diff.ts';
import { workspaceRelativePath } from './workspace-relative-path.ts';

describe('unifiedDiff', () => {
  it('shows a change with git headers and three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    expect(unifiedDiff({ path: 'src/x.txt', before, after: before.replace('d', 'D') })).toBe(
      '--- a/src/x.txt\n+++ b/src/x.txt\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n',
    );
  });

  it('new and deleted files come from and go to /dev/null', () => {
    expect(unifiedDiff({ path: 'n.txt', before: null, after: 'one\n' })).toBe(
      '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,1 @@\n+one\n',
    );
    expect(unifiedDiff({ path: 'n.txt', before: 'one\n', after: null })).toBe(
      '--- a/n.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-one\n',
    );
    expect(unifiedDiff({ path: 'empty', before: null, after: '' })).toBe('--- /dev/null\n+++ b/empty\n');
  });

  it('is empty when nothing changed, and marks a missing final line break', () => {
    expect(unifiedDiff({ path: 'a', before: 'x\n', after: 'x\n' })).toBe('');
    expect(unifiedDiff({ path: 'a', before: 'x\n', after: 'x' })).toContain('\\ No newline at end of file');
  });
});

describe('workspaceRelativePath', () => {
  const roots = ['/home/me/p', '/workspace'];

  it('maps relative paths and absolute paths inside any name of the workspace', () => {
    expect(workspaceRelativePath('src/a.ts', roots)).toEqual({ ok: true, relative: 'src/a.ts' });
    expect(workspaceRelativePath('./src//b/../a.ts', roots)).toEqual({ ok: true, relative: 'src/a.ts' });
    expect(workspaceRelativePath('/workspace/src/a.ts', roots)).toEqual({ ok: true, relative: 'src/a.ts' });
    expect(workspaceRelativePath('/home/me/p/a.ts', roots)).toEqual({ ok: true, relative: 'a.ts' });
    expect(workspaceRelativePath('/workspace', roots)).toEqual({ ok: true, relative: '' });
  });

  it('refuses what the words lead out of the workspace', () => {
    const refused = (path: string) => {
      const outcome = workspaceRelativePath(path, roots);
      return outcome.ok ? null : outcome.problem;
    };
    expect(refused('../x')).toEqual({ kind: 'outside_workspace', reason: 'parent' });
    expect(refused('src/../../x')).toEqual({ kind: 'outside_workspace', reason: 'parent' });
    expect(refused('/etc/passwd')).toEqual({ kind: 'outside_workspace', reason: 'absolute' });
    expect(refused('/workspace/../etc/passwd')).toEqual({ kind: 'outside_workspace', reason: 'absolute' });
    expect(refused('/home/me/pp/a')).toEqual({ kind: 'outside_workspace', reason: 'absolute' });
    expect(refused('~/.ssh/id_rsa')).toEqual({ kind: 'outside_workspace', reason: 'home' });
    expect(refused('  ')).toEqual({ kind: 'invalid_path', reason: 'empty' });
    expect(refused('a\0b')).toEqual({ kind: 'invalid_path', reason: 'nul' });
  });
});

describe('readResultText', () => {
  it('numbers lines as cat -n does and says how to read on', () => {
    expect(readResultText({ path: 'a.txt', lines: ['x', 'y'], startLine: 1, lineCount: 2 })).toBe(
      'a.txt (2 lines)\n     1\tx\n     2\ty',
    );
    expect(readResultText({ path: 'a.txt', lines: ['c'], startLine: 3, lineCount: 9 })).toBe(
      'a.txt, lines 3-3 of 9 (ask for start_line 4 to read on)\n     3\tc',
    );
    expect(readResultText({ path: 'e', lines: [], startLine: 1, lineCount: 0 })).toBe('e is empty.');
  });
});
