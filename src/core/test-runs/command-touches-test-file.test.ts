import { describe, expect, it } from 'vitest';
import { commandTouchesTestFile, testFilesWrittenBy } from './command-touches-test-file.ts';
import { DEFAULT_TEST_FILE_PATTERNS } from './test-file-patterns.ts';

describe('commands that change a test file', () => {
  it.each([
    ["sed -i 's/assert 2/assert 3/' tests/test_math.py", ['tests/test_math.py']],
    ["sed -i.bak -e 's/a/b/' src/a.test.ts", ['src/a.test.ts']],
    ["sed -Ei 's/a/b/' pkg/a_test.go", ['pkg/a_test.go']],
    ["sed --in-place 's/a/b/' spec/a_spec.rb", ['spec/a_spec.rb']],
    ["perl -pi -e 's/a/b/' t/x.t test/x.js", ['test/x.js']],
    ['echo "assert True" > tests/test_x.py', ['tests/test_x.py']],
    ['echo x >> src/__tests__/a.js', ['src/__tests__/a.js']],
    ['printf x 2>/dev/null 1>| conftest.py', ['conftest.py']],
    ['echo x | tee -a tests/a.py', ['tests/a.py']],
    ['mv src/a.test.ts src/a.test.ts.off', ['src/a.test.ts', 'src/a.test.ts.off']],
    ['mv tests/test_slow.py /tmp/', ['tests/test_slow.py']],
    ['rm -rf tests', ['tests']],
    ['rm -f -- pkg/x_test.go', ['pkg/x_test.go']],
    ['touch tests/__init__.py', ['tests/__init__.py']],
    ['truncate -s 0 tests/test_a.py', ['tests/test_a.py']],
    ['cp fixed.py tests/test_a.py', ['tests/test_a.py']],
    ['cp -t tests/ fixture.json', ['tests/']],
    ['dd if=/dev/null of=tests/test_a.py', ['tests/test_a.py']],
    ['patch -p1 tests/test_a.py < fix.diff', ['tests/test_a.py']],
    ['git checkout -- tests/test_a.py', ['tests/test_a.py']],
    ['git rm -q src/a.spec.ts', ['src/a.spec.ts']],
    ['sudo -u me rm tests/a.py', ['tests/a.py']],
    ['timeout 5 env A=1 rm tests/a.py', ['tests/a.py']],
    ['/bin/rm tests/a.py', ['tests/a.py']],
    ['cd tests && rm test_a.py', ['test_a.py']],
    ['rm *_test.go', ['*_test.go']],
  ])('%s', (command, paths) => {
    expect(testFilesWrittenBy(command)).toEqual(paths);
    expect(commandTouchesTestFile(command)).toBe(true);
  });
});

describe('commands that do not', () => {
  it.each([
    'pytest tests/ > log.txt 2>&1',
    'npm test',
    'cat tests/test_a.py',
    'grep -rn assert tests/',
    "sed 's/a/b/' tests/test_a.py",
    "sed -n '1,20p' tests/test_a.py",
    "sed -i 's/tests/specs/' src/app.py",
    'cp tests/fixture.json /tmp/fixture.json',
    'git checkout main',
    'git diff -- tests/',
    'echo hi > /dev/null',
    'rm -rf src',
    'cd /tmp && rm tests/a.py',
  ])('%s', (command) => {
    expect(commandTouchesTestFile(command, DEFAULT_TEST_FILE_PATTERNS, { workspace: '/w' })).toBe(false);
  });
});

describe('lines the word reader will not read', () => {
  it('sees the file a here-document writes, not the paths inside its body', () => {
    const writesTest =
      "cat > tests/test_app.py <<'EOF'\nfrom app import add\n\ndef test_add():\n    assert add(1, 2) == 4\nEOF";
    expect(testFilesWrittenBy(writesTest)).toEqual(['tests/test_app.py']);
    const writesCode = "cat > src/app.py <<'EOF'\nFIXTURES = 'tests/fixtures/data.json'\nEOF\npytest tests/";
    expect(commandTouchesTestFile(writesCode)).toBe(false);
  });

  it('reads the rest of a line with a `$` in it, and never a path built from a variable', () => {
    expect(commandTouchesTestFile('sed -i "s/$OLD/new/" tests/test_a.py')).toBe(true);
    expect(commandTouchesTestFile('rm "$DIR/tests/a.py"')).toBe(false);
    expect(commandTouchesTestFile('pytest tests/ > log.txt 2>&1; echo "exit $?"')).toBe(false);
    expect(commandTouchesTestFile('echo "$(date)" &> tests/out.txt')).toBe(true);
  });
});

describe('paths and the workspace', () => {
  it('reads absolute paths relative to the workspace, and none outside it', () => {
    const options = { workspace: '/home/me/work' };
    expect(commandTouchesTestFile('rm /home/me/work/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(
      true,
    );
    expect(commandTouchesTestFile('rm /home/me/other/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(
      false,
    );
    expect(commandTouchesTestFile('rm ../other/tests/a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(false);
  });

  it('follows cd for the relative paths after it', () => {
    const options = { workspace: '/w' };
    expect(commandTouchesTestFile('cd src && rm ../tests/a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(
      true,
    );
    expect(commandTouchesTestFile('cd /w/tests; rm a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(true);
    expect(commandTouchesTestFile('cd src; rm a.py', DEFAULT_TEST_FILE_PATTERNS, options)).toBe(false);
  });

  it('uses the configured patterns', () => {
    expect(commandTouchesTestFile('rm checks/a.sh', ['checks/**'])).toBe(true);
    expect(commandTouchesTestFile('rm tests/a.py', ['checks/**'])).toBe(false);
  });
});
