import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from './unified-diff.ts';

// As `git diff --no-color` prints them (a modification, a new file, a deletion, a binary file, a space in a name).
const GIT_DIFF = `diff --git a/src/sum.ts b/src/sum.ts
index 3b18e51..a1f2c3d 100644
--- a/src/sum.ts
+++ b/src/sum.ts
@@ -1,4 +1,4 @@
 export function sum(a: number, b: number) {
-  return a - b;
+  return a + b;
 }
 
diff --git a/notes.txt b/notes.txt
new file mode 100644
index 0000000..ce01362
--- /dev/null
+++ b/notes.txt
@@ -0,0 +1,2 @@
+hello
+world
\\ No newline at end of file
diff --git a/old.txt b/old.txt
deleted file mode 100644
index ce01362..0000000
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-gone
diff --git a/logo.png b/logo.png
new file mode 100644
index 0000000..0a1b2c3
Binary files /dev/null and b/logo.png differ
diff --git a/my file.md b/my file.md
index 1111111..2222222 100644
--- a/my file.md
+++ b/my file.md
@@ -10,2 +10,3 @@ heading
 ten
+ten and a half
 eleven
`;

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(GIT_DIFF);

  it('splits git’s diff into its files, each named by its path in the workspace', () => {
    expect(files.map((file) => file.path)).toEqual([
      'src/sum.ts',
      'notes.txt',
      'old.txt',
      'logo.png',
      'my file.md',
    ]);
  });

  it('numbers removed lines on the old side and added lines on the new side', () => {
    const [modified] = files;
    expect(modified?.lines.map((line) => [line.kind, line.text, line.oldNumber, line.newNumber])).toEqual([
      ['hunk', '@@ -1,4 +1,4 @@', null, null],
      ['context', 'export function sum(a: number, b: number) {', 1, 1],
      ['removed', '  return a - b;', 2, null],
      ['added', '  return a + b;', null, 2],
      ['context', '}', 3, 3],
      ['context', '', 4, 4],
    ]);
    expect(files[4]?.lines.find((line) => line.kind === 'added')).toMatchObject({ newNumber: 11 });
  });

  it('keeps git’s headers and markers as notes, not as changed lines', () => {
    expect(files[1]?.notes).toEqual(['new file mode 100644']);
    expect(files[1]?.lines.at(-1)).toMatchObject({ kind: 'note', text: '\\ No newline at end of file' });
    expect(files[2]?.notes).toEqual(['deleted file mode 100644']);
    expect(files[2]?.lines.filter((line) => line.kind === 'removed')).toHaveLength(1);
    expect(files[3]?.notes).toEqual(['new file mode 100644', 'Binary files /dev/null and b/logo.png differ']);
    expect(files[3]?.lines).toEqual([]);
  });

  it('reads a plain unified diff without git’s header, and nothing from an empty one', () => {
    const plain = parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-1\n+2\n');
    expect(plain.map((file) => [file.path, file.lines.length])).toEqual([['x', 3]]);
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});
