import { describe, expect, it } from 'vitest';
import {
  APPROVAL_POLICIES,
  type ApprovalPolicy,
  decideApproval,
  decideFileActionApproval,
} from './approval-policy.ts';
import type { SandboxKind } from './shell-session.ts';

function decide(command: string, policy: ApprovalPolicy = 'read-only', sandbox: SandboxKind = 'bwrap') {
  return decideApproval({ command, policy, sandbox });
}

describe('decideApproval', () => {
  it('asks every time under the default policy, even for harmless commands', () => {
    expect(decide('ls', 'ask')).toMatchObject({ decision: 'ask-user' });
  });

  it('runs everything under "all" inside a sandbox', () => {
    expect(decide('rm -rf build', 'all', 'bwrap')).toMatchObject({ decision: 'auto-approve' });
    expect(decide('rm -rf build', 'all', 'docker')).toMatchObject({ decision: 'auto-approve' });
  });

  it('asks on the host whatever the policy says', () => {
    for (const policy of ['all', 'read-only'] as const) {
      const decision = decide('ls', policy, 'host');
      expect(decision.decision).toBe('ask-user');
      expect(decision.reason).toContain('only inside a sandbox');
    }
  });

  it('rejects an empty command and one with a NUL byte under every policy', () => {
    for (const policy of ['ask', 'read-only', 'all'] as const) {
      expect(decide('   \n', policy)).toMatchObject({ decision: 'reject' });
      expect(decide('ls\0', policy)).toMatchObject({ decision: 'reject' });
    }
  });

  it.each([
    'ls -la',
    'cat README.md',
    'head -n 20 src/a.ts',
    'tail -5 log.txt',
    'wc -l *.ts',
    'pwd',
    'git status',
    'git log --oneline -5',
    'git diff HEAD~1 -- src',
    'git show HEAD:package.json',
    'git branch -a',
    'git --no-pager log',
    'grep -rn "TODO" src',
    "grep -n 'x$' file",
    'find . -name "*.ts" -type f',
    'ls | grep foo | wc -l',
    'wc -l src/*.ts',
    'ls -- *.md',
    "rg -n --glob '*.ts' foo src",
    'git diff --stat HEAD~1',
    'cat ~/notes.txt',
    'git status; git log -1',
    'ls nothing || true',
    'ls 2>/dev/null',
    'ls >/dev/null 2>&1',
    'sort < input.txt',
    'cat file # comment with > redirect and $(x)',
    'ls\npwd',
  ])('auto-approves the read-only command %j', (command) => {
    expect(decide(command)).toEqual({
      decision: 'auto-approve',
      reason: 'every part is on the read-only list',
    });
  });

  it.each([
    ['rm -rf /', '`rm` is not on the read-only list'],
    ['ls > out.txt', 'the redirection `> out.txt` writes a file'],
    ['ls >> out.txt', 'the redirection `>> out.txt` writes a file'],
    ['ls 2> err.txt', 'the redirection `> err.txt` writes a file'],
    ['ls &> all.txt', 'the redirection `&> all.txt` writes a file'],
    ['ls >&out.txt', 'the redirection `>&out.txt` writes a file'],
    ['cat a <> b', 'the redirection `<> b` writes a file'],
    ['ls; rm x', '`rm` is not on the read-only list'],
    ['ls && rm x', '`rm` is not on the read-only list'],
    ['ls || rm x', '`rm` is not on the read-only list'],
    ['ls | tee x', '`tee` is not on the read-only list'],
    ['ls\nrm x', '`rm` is not on the read-only list'],
    ['find . -delete', '`find -delete` is not a primary known to be harmless'],
    ["find . -name x -exec rm '{}' ';'", '`find -exec` is not a primary known to be harmless'],
    ["find . -execdir rm '{}' +", '`find -execdir` is not a primary known to be harmless'],
    ['sort -o out in', '`sort -o` is not an option known to be harmless'],
    ['sort --output=out in', '`sort --output` is not an option known to be harmless'],
    ['sort --outp=out in', '`sort --outp` is not an option known to be harmless'],
    ['ls -la --colour', '`ls --colour` is not an option known to be harmless'],
    ["test -v 'a[$(touch x)]'", '`test -v a[$(touch x)]` is not a form of test known to be harmless'],
    ['cd src', '`cd` is not on the read-only list'],
    ['git -C sub status', '`git -C` can change what git reads or runs'],
    ['ls -*', '`ls -*`: a file-name pattern that reads as an option'],
    ['git commit -m x', '`git commit` is not on the read-only list'],
    ['git push', '`git push` is not on the read-only list'],
    ['git -c core.pager=sh log', '`git -c` can change what git reads or runs'],
    ['git branch new-branch', '`git branch new-branch` without --list can create a branch'],
    ['git diff --output=x', '`git diff --output` is not an option known to be harmless'],
    ['env rm -rf x', '`env` with arguments can run another program'],
    [
      'LD_PRELOAD=/tmp/x.so ls',
      'the variable assignment `LD_PRELOAD=/tmp/x.so` can change what a program does (LD_PRELOAD, PATH…)',
    ],
    ['/bin/rm x', '`/bin/rm` is not on the read-only list'],
    ['uniq in out', '`uniq` with a second file name writes that file'],
    ['> file', 'a redirection on its own can create a file'],
  ])('asks before %j because %s', (command, reason) => {
    expect(decide(command)).toEqual({ decision: 'ask-user', reason });
  });

  it.each([
    ['ls $(rm -rf /)', '`$` expansion'],
    ['ls "$(rm -rf /)"', '`$` expansion inside double quotes'],
    ['ls `rm -rf /`', 'backticks'],
    ['ls "`rm -rf /`"', 'backticks'],
    ['cat $HOME/.ssh/id_rsa', '`$` expansion'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
    ['cat ${X:=y}', '`$` expansion'],
    ['echo $ sign', '`$` expansion'],
    ['find . -name x {-delete,-print}', 'brace'],
    ['ls [ab]*', 'bracket'],
    ['ls ~root', 'tilde'],
    ['cat a\u00a0b', 'non-ASCII'],
    ['ls\u202e', 'U+202E'],
    ['ls\rrm -rf x', 'U+000D'],
    ['ls &', 'background job'],
    ['(cd x; ls)', 'subshell'],
    ['cat <(rm x)', 'process substitution'],
    ['diff >(rm x) y', 'process substitution'],
    ['cat <<EOF\nx\nEOF', 'here-document'],
    ["cat 'unclosed", 'unclosed quote'],
    ["echo $'\\x41'", '`$` expansion'],
  ])('treats %j conservatively (%s)', (command, reasonPart) => {
    const decision = decide(command);
    expect(decision.decision).toBe('ask-user');
    expect(decision.reason).toContain(reasonPart);
    expect(decision.reason).toContain('cannot be judged read-only');
  });

  it('reads quoted operators as plain text, not as operators', () => {
    expect(decide("grep ';rm x' file")).toMatchObject({ decision: 'auto-approve' });
    expect(decide('grep "a > b" file')).toMatchObject({ decision: 'auto-approve' });
    expect(decide('grep a\\>b file')).toMatchObject({ decision: 'auto-approve' });
    expect(decide("echo '$(rm x)'")).toMatchObject({ decision: 'auto-approve' });
  });

  it('does not take an inherited object property for an allowlisted command', () => {
    expect(decide('constructor x')).toMatchObject({ decision: 'ask-user' });
    expect(decide('__proto__')).toMatchObject({ decision: 'ask-user' });
  });
});

describe('decideFileActionApproval', () => {
  it('never lets a file action run by itself on the host, whatever the policy', () => {
    for (const policy of APPROVAL_POLICIES) {
      for (const tool of ['read_file', 'write_file', 'edit_file'] as const) {
        expect(decideFileActionApproval({ tool, policy, sandbox: 'host' }).decision).toBe('ask-user');
      }
    }
  });

  it('in a sandbox reads by itself under read-only, writes only under the run-everything policy', () => {
    const decide = (tool: 'read_file' | 'write_file' | 'edit_file', policy: ApprovalPolicy) =>
      decideFileActionApproval({ tool, policy, sandbox: 'bwrap' }).decision;
    expect(decide('read_file', 'ask')).toBe('ask-user');
    expect(decide('read_file', 'read-only')).toBe('auto-approve');
    expect(decide('edit_file', 'read-only')).toBe('ask-user');
    expect(decide('write_file', 'read-only')).toBe('ask-user');
    expect(decide('edit_file', 'all')).toBe('auto-approve');
    expect(decide('write_file', 'all')).toBe('auto-approve');
  });
});
