/**
 * Commands the read-only policy approves run through ShellSession.runIsolated: a fresh bash in the same
 * sandbox (bwrap: a second bwrap from the session's launch; docker: a new `docker exec` in the session's
 * container). Each case first shows the attack working in the persistent shell (run()), so it fails if
 * runIsolated ever falls back to run(): a function or alias named like the command, a PATH from the
 * settings, a file name that a pattern turns into an option, and a repository whose config or hooks make
 * `git status`, `git diff` or `git log` run its programs.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApproval } from '../../src/core/approval-policy.ts';
import type { SandboxKind, ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { dockerImageHas, dockerWithImage } from '../sandbox/docker-available.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const git = requirement('git', hasExecutable('git'));
const backends: Array<[SandboxKind, boolean, (options: ShellSessionOptions) => ShellSession]> = [
  ['bwrap', git && requirement('bubblewrap (bwrap)', hasExecutable('bwrap')), createBwrapSession],
  [
    'docker',
    git &&
      requirement('a Docker engine with the sandbox image (scripts/ci-docker.sh)', dockerWithImage()) &&
      requirement(
        'git in the docker sandbox image (scripts/ci-docker.sh builds it in)',
        dockerImageHas('git'),
      ),
    (options) => createDockerSession(options),
  ],
];

/** Runs a setup script on the host, away from the developer's own git config. */
function sh(cwd: string, script: string): void {
  execFileSync('bash', ['-euc', script], {
    cwd,
    stdio: 'pipe',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@example.com',
    },
  });
}

/** A program that leaves `markers/<name>` behind, then behaves as `tail` of its command line says. */
function evilProgram(root: string, name: string, tail: string): string {
  const path = join(root, 'bin', name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\ntouch '${join(root, 'markers', name)}'\n${tail}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.each(backends)('runIsolated (real %s)', (sandbox, available, createSession) => {
  if (!available) {
    it.skip(`needs the ${sandbox} sandbox and git`, () => undefined);
    return;
  }
  const autoApproved = (command: string): boolean =>
    decideApproval({ command, policy: 'read-only', sandbox }).decision === 'auto-approve';
  const temp = makeTempDir('mp-isolated-');
  const root = temp.path;
  const markers = join(root, 'markers');
  let session: ShellSession;

  const markersLeft = (): string[] => readdirSync(markers);
  const clearMarkers = (): void => {
    rmSync(markers, { recursive: true, force: true });
    mkdirSync(markers);
  };

  beforeAll(() => {
    mkdirSync(markers);
    session = createSession({ workspace: root });
  });

  afterAll(async () => {
    await session?.close();
    temp.remove();
  });

  it('is not shadowed by a function or alias an earlier command defined', async () => {
    clearMarkers();
    await session.run(`cd '${root}' && mkdir -p plain && touch plain/real-file && cd plain`);
    await session.run(`ls() { touch '${markers}/function'; echo SHADOWED; }; alias cat='echo ALIASED'`);
    expect((await session.run('ls')).output).toBe('SHADOWED\n');
    expect(markersLeft()).toEqual(['function']);
    clearMarkers();

    const listed = await session.runIsolated('ls');
    expect(listed).toMatchObject({ status: 'completed', exitCode: 0, output: 'real-file\n' });
    const read = await session.runIsolated('cat real-file; echo end');
    expect(read.output).toBe('end\n');
    expect(markersLeft()).toEqual([]);
  });

  it('runs at the session shell cwd, leaves that cwd alone, and reports it', async () => {
    await session.run(`cd '${root}/plain'`);
    const result = await session.runIsolated('pwd; cd /; pwd');
    expect(result.output).toBe(`${root}/plain\n/\n`);
    expect(result.cwd).toBe(`${root}/plain`);
    expect((await session.run('pwd')).output).toBe(`${root}/plain\n`);
  });

  it('runs in the workspace by its resolved path when the workspace was given through a symlink', async () => {
    // The sandbox mounts only the resolved folder; before the shell's first command its cwd is the
    // workspace as given, which the sandbox does not have.
    mkdirSync(join(root, 'linked-target'), { recursive: true });
    symlinkSync(join(root, 'linked-target'), join(root, 'linked'));
    const linked = createSession({ workspace: join(root, 'linked') });
    try {
      const first = await linked.runIsolated('pwd');
      expect(first).toMatchObject({ status: 'completed', output: `${root}/linked-target\n` });
    } finally {
      await linked.close();
    }
  });

  it('takes neither the PATH nor the BASH_ENV of the settings', async () => {
    // Settings that put a workspace folder first on PATH and name a startup file: the person's own
    // commands get them, but an approved `ls` must be the system's, with nothing sourced before it.
    evilProgram(root, 'ls', 'exit 0');
    const bashEnv = evilProgram(root, 'bash-env', '');
    const configured = createSession({
      workspace: root,
      environment: { PATH: `${root}/bin:/usr/bin:/bin`, BASH_ENV: bashEnv, LANG: 'C.UTF-8' },
    });
    try {
      clearMarkers();
      await configured.run(`cd '${root}/plain' && command ls`);
      expect(markersLeft().sort()).toEqual(['bash-env', 'ls']);
      clearMarkers();
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
      const result = await configured.runIsolated('command ls; echo "${BASH_ENV-unset} $LANG"');
      expect(result.output).toBe('real-file\nunset C.UTF-8\n');
      expect(markersLeft()).toEqual([]);
    } finally {
      await configured.close();
    }
  });

  it('never expands a pattern to a word that reads as an option', async () => {
    sh(root, 'mkdir -p globs && printf "b\\na\\n" > globs/a.txt && touch -- globs/--output=pwned.txt');
    await session.run(`cd '${root}/globs'`);
    expect(autoApproved('sort *.txt')).toBe(true);
    const isolated = await session.runIsolated('sort *.txt');
    expect(isolated.output).toBe('a\nb\n');
    expect(existsSync(join(root, 'globs', 'pwned.txt'))).toBe(false);
    // The same words in the persistent shell: `sort --output=pwned.txt a.txt`.
    await session.run('sort *.txt');
    expect(existsSync(join(root, 'globs', 'pwned.txt'))).toBe(true);
  });

  it('waits its turn behind a command of the persistent shell', async () => {
    await session.run(`cd '${root}/plain'`);
    const first = session.run('sleep 0.3; echo one > order');
    const second = session.runIsolated('cat order');
    expect((await second).output).toBe('one\n');
    await first;
  });

  it('stops at its timeout and on interrupt, and bounds its output', async () => {
    const timedOut = await session.runIsolated('sleep 30', { timeoutMs: 200 });
    expect(timedOut).toMatchObject({ status: 'timed-out', exitCode: null });

    let interrupted = false;
    const running = session.runIsolated('echo started; sleep 30', {
      onOutput: (text) => {
        if (text.includes('started') && !interrupted) interrupted = session.interrupt();
      },
    });
    expect(await running).toMatchObject({ status: 'interrupted', exitCode: null });
    expect(interrupted).toBe(true);

    const big = await session.runIsolated('head -c 100000 /dev/zero | tr "\\0" a', {});
    expect(big.outputBytes).toBe(100000);
    const bounded = createSession({ workspace: root, maxOutputBytes: 1000 });
    try {
      const cut = await bounded.runIsolated('head -c 100000 /dev/zero | tr "\\0" a');
      expect(cut).toMatchObject({ truncated: true, outputBytes: 100000 });
      expect(cut.output.length).toBeLessThan(1200);
    } finally {
      await bounded.close();
    }
  });

  it('does not wait out the grace period for processes that already ended', async () => {
    // SIGTERM ends `sleep` at once, but the frozen shell cannot reap it: its zombie is not a process still
    // running, or every stop would last the whole grace period.
    const patient = createSession({ workspace: root, killGraceMs: 20_000 });
    try {
      const result = await patient.runIsolated('sleep 30', { timeoutMs: 200 });
      expect(result.status).toBe('timed-out');
      expect(result.durationMs).toBeLessThan(10_000);
    } finally {
      await patient.close();
    }
  }, 60_000);

  describe("with the repository's code-running git config", () => {
    /** A repository whose config names a program for each way a reading git command can run one. */
    function evilRepository(name: string): string {
      const repo = join(root, name);
      const fsmonitor = evilProgram(root, 'fsmonitor', 'exit 1');
      const clean = evilProgram(root, 'clean', 'cat');
      const textconv = evilProgram(root, 'textconv', 'cat "$1"');
      const externalDiff = evilProgram(root, 'external-diff', 'exit 0');
      const subFsmonitor = evilProgram(root, 'sub-fsmonitor', 'exit 1');
      const hook = evilProgram(root, 'post-index-change', 'exit 0');
      sh(
        root,
        `git init -q ${name} && cd ${name}
        printf 'a\\n' > f.txt; printf 'x\\n' > g.dat
        printf '*.txt filter=evil diff=evil\\n*.dat diff=ext\\n' > .gitattributes
        git init -q sub && (cd sub && printf 's\\n' > s.txt && git add s.txt && git commit -qm s)
        printf '[submodule "sub"]\\n\\tpath = sub\\n\\turl = ./sub\\n\\tignore = none\\n' > .gitmodules
        git add -A 2>/dev/null && git commit -qm init
        git config core.fsmonitor '${fsmonitor}'
        git config filter.evil.clean '${clean}'
        git config diff.evil.textconv '${textconv}'
        git config diff.ext.command '${externalDiff}'
        git -C sub config core.fsmonitor '${subFsmonitor}'
        cp '${hook}' .git/hooks/post-index-change
        printf 'c\\n' > f.txt; printf 'y\\n' > g.dat; printf 't\\n' > sub/s.txt`,
      );
      // Same size as committed and an old mtime: git must hash the file, through the clean filter.
      utimesSync(join(repo, 'f.txt'), new Date('2001-01-01'), new Date('2001-01-01'));
      return repo;
    }

    it.each([
      ['git status', ['clean', 'fsmonitor', 'post-index-change', 'sub-fsmonitor']],
      ['git status --short', ['clean', 'fsmonitor', 'post-index-change', 'sub-fsmonitor']],
      ['git diff', ['clean', 'external-diff', 'fsmonitor', 'sub-fsmonitor', 'textconv']],
      ['git diff --stat', ['clean', 'fsmonitor', 'sub-fsmonitor']],
      ['git log -p -1', ['fsmonitor', 'textconv']],
    ])('%s runs none of them (run() runs %j)', async (command, expected) => {
      expect(autoApproved(command)).toBe(true);
      const repo = evilRepository(`repo-${command.replaceAll(/[^a-z]/g, '-')}`);
      await session.run(`cd '${repo}'`);
      clearMarkers();
      // First, as the policy runs it: no marker, and the answer git would give.
      const isolated = await session.runIsolated(command);
      expect(markersLeft()).toEqual([]);
      expect(isolated.output).toContain('f.txt');
      expect(isolated.status).toBe('completed');
      // Then the same command in the persistent shell, to show the repository really is armed.
      await session.run(command);
      expect(markersLeft().sort()).toEqual(expected);
    });

    it('git diff still shows the change, through a plain diff instead of the external one', async () => {
      const repo = evilRepository('repo-diff-output');
      await session.run(`cd '${repo}'`);
      clearMarkers();
      const result = await session.runIsolated('git diff');
      expect(result.output).toContain('-a\n+c\n');
      expect(result.output).toContain('-x\n+y\n');
      expect(markersLeft()).toEqual([]);
    });

    it('git log runs no gpg program for a signed commit under log.showSignature', async () => {
      const gpg = evilProgram(root, 'gpg', 'exit 1');
      sh(
        root,
        `git init -q signed && cd signed
        tree=$(git write-tree)
        printf 'tree %s\\nauthor a <a@example.com> 0 +0000\\ncommitter a <a@example.com> 0 +0000\\ngpgsig -----BEGIN PGP SIGNATURE-----\\n \\n iQ==\\n -----END PGP SIGNATURE-----\\n\\nsigned\\n' "$tree" > ../commit
        git update-ref HEAD "$(git hash-object -t commit -w ../commit)"
        git config log.showSignature true
        git config gpg.program '${gpg}'`,
      );
      await session.run(`cd '${root}/signed'`);
      clearMarkers();
      expect(autoApproved('git log --oneline')).toBe(true);
      expect((await session.runIsolated('git log --oneline')).output).toContain('signed');
      expect(markersLeft()).toEqual([]);
      await session.run('git log --oneline');
      expect(markersLeft()).toEqual(['gpg']);
    });
  });
});
