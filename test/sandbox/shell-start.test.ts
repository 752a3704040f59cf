/**
 * Starting shells: a startup script that breaks its shell must not break every later command, and a
 * sandbox that cannot start says why instead of returning a command result.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { createHostSession } from '../../src/sandbox/host-session.ts';
import { SandboxStartError } from '../../src/sandbox/sandbox-start-error.ts';

describe('shell start', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'mp-shell-start-'));
  });

  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('reports a startup script that exits its shell, then runs commands in a shell without it', async () => {
    const session = createHostSession({ workspace, startupScript: 'echo setting up; exit 4' });
    try {
      const start = await session.start();
      expect(start.startup).toMatchObject({ status: 'failed', exitCode: 4, output: 'setting up\n' });
      expect(await session.run('echo works')).toMatchObject({ status: 'completed', output: 'works\n' });
    } finally {
      await session.close();
    }
  });

  it('times out a startup script that hangs, without hanging the session', async () => {
    const session = createHostSession({
      workspace,
      startupScript: 'echo before; sleep 1000',
      defaultTimeoutMs: 500,
      killGraceMs: 100,
    });
    try {
      const start = await session.start();
      expect(start.startup).toMatchObject({ status: 'timed-out', output: 'before\n' });
      expect(await session.run('echo works')).toMatchObject({ status: 'completed', output: 'works\n' });
    } finally {
      await session.close();
    }
  });

  it('says so when the workspace folder does not exist', async () => {
    const missing = join(workspace, 'missing');
    const session = createBwrapSession({ workspace: missing });
    await expect(session.run('true')).rejects.toThrow(`the workspace ${missing} is not an existing folder`);
    await session.close();
  });

  it('refuses commands once closed', async () => {
    const session = createHostSession({ workspace });
    await session.run('true');
    await session.close();
    await expect(session.run('true')).rejects.toThrow('the host shell session is closed');
  });

  it('says why when bwrap cannot run at all', async () => {
    const session = createBwrapSession({ workspace }, { bwrapPath: '/nonexistent/bwrap' });
    const failure = session.run('true');
    await expect(failure).rejects.toBeInstanceOf(SandboxStartError);
    await expect(failure).rejects.toThrow(
      'the bwrap shell did not start: cannot run bwrap at /nonexistent/bwrap: not found (ENOENT). ' +
        'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or choose the docker or host sandbox',
    );
    // An approved read-only command, which runs in a fresh sandbox of its own, is not a failed command either.
    const isolated = session.runIsolated('ls');
    await expect(isolated).rejects.toBeInstanceOf(SandboxStartError);
    await expect(isolated).rejects.toThrow(
      'the isolated bwrap shell did not start: cannot run bwrap at /nonexistent/bwrap: not found (ENOENT).',
    );
    await session.close();
  });

  it('says why when the bwrap it is given is not executable', async () => {
    const notExecutable = join(workspace, 'bwrap-copy');
    await writeFile(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    const session = createBwrapSession({ workspace }, { bwrapPath: notExecutable });
    await expect(session.run('true')).rejects.toThrow(
      `the bwrap shell did not start: cannot run bwrap at ${notExecutable}: not executable (EACCES). Install`,
    );
    await session.close();
  });

  it('says why when the docker image or engine is missing', async () => {
    const session = createDockerSession({ workspace }, { image: 'modelprogrammer-no-such-image:none' });
    const failure = session.run('true');
    await expect(failure).rejects.toBeInstanceOf(SandboxStartError);
    await expect(failure).rejects.toThrow(
      /could not start a container from modelprogrammer-no-such-image:none: /,
    );
    await session.close();
  });
});
