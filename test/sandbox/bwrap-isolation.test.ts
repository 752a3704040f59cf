/**
 * What the bwrap sandbox must keep from a command (issue 4): our config and database, the real home, the
 * host's file system for writing, the host's loopback while network is off, and our environment.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { secretTag } from './decoys.ts';
import { useIsolationFixture } from './isolation-fixture.ts';

const available = requirement('bubblewrap (bwrap)', hasExecutable('bwrap'));

describe.runIf(available)('bwrap isolation', () => {
  const fixture = useIsolationFixture('bwrap', createBwrapSession, '127.0.0.1');

  it('cannot read our config file, our database or the real home by their paths', async () => {
    const session = fixture.open();
    for (const file of fixture.decoys.files) {
      const result = await session.run(`cat '${file.path}'`);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain('No such file or directory');
      expect(result.output).not.toContain(file.secret);
    }
  });

  it('finds no secret anywhere it can search, though the same search finds the control copy', async () => {
    const session = fixture.open();
    const result = await session.run(
      // Everything but the read-only system trees (/usr, /opt: the host's own, and large) and kernel views.
      `grep -rslF '${secretTag(fixture.decoys)}' $(find / -mindepth 1 -maxdepth 1 -type d | grep -vE '^/(usr|opt|proc|sys|dev)$'); true`,
    );
    expect(result.output.trim().split('\n')).toEqual([fixture.decoys.control]);
  });

  it('shows nothing of the real home directory or /root', async () => {
    const session = fixture.open();
    const realHome = homedir();
    const result = await session.run(
      `ls -A /root '${realHome}' '${realHome}/.ssh' '${fixture.decoys.home}' 2>&1; echo "home=$HOME"; ls -A /home`,
    );
    expect(result.output).toContain(`ls: cannot access '/root': No such file or directory`);
    expect(result.output).toContain(`ls: cannot access '${realHome}/.ssh': No such file or directory`);
    expect(result.output).toContain(`ls: cannot access '${fixture.decoys.home}': No such file or directory`);
    expect(result.output).toMatch(/home=\/home\/sandbox\nsandbox\n$/);
  });

  it('refuses a workspace that contains our data and config dirs or the home (issue 7, item 4)', async () => {
    const session = fixture.open({ workspace: fixture.decoys.root });
    await expect(session.run('true')).rejects.toThrow(/This workspace is refused: .* holds your home folder/);
  });

  it('cannot write outside the workspace; writes inside it reach the host', async () => {
    const session = fixture.open();
    const outside = join(fixture.decoys.root, 'written-from-sandbox');
    const escapeInTmp = `/tmp/mp-escape-${process.pid}`;
    for (const target of [
      '/usr/mp-escape',
      '/etc/mp-escape',
      '/mp-escape',
      '/opt/mp-escape',
      '/bin/mp-escape',
    ]) {
      const result = await session.run(`touch ${target}`);
      expect(result.exitCode, target).not.toBe(0);
      expect(result.output).toMatch(/Read-only file system|No such file or directory|Permission denied/);
    }
    // Inside, the workspace's parent and /tmp are a private tmpfs: writable, and gone with the sandbox.
    await session.run(`touch '${outside}' ${escapeInTmp}`);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(escapeInTmp)).toBe(false);
    expect(await session.run('echo made > made-inside.txt')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(fixture.decoys.workspace, 'made-inside.txt'))).toBe(true);
  });

  it('cannot connect to a listener on the host loopback while network is off', async () => {
    const session = fixture.open();
    const before = fixture.connections;
    const result = await session.run(
      `exec 3<>/dev/tcp/127.0.0.1/${fixture.port} && echo connected; ip link 2>/dev/null; true`,
    );
    expect(result.output).not.toContain('connected');
    expect(result.output).toContain('Connection refused');
    expect(fixture.connections).toBe(before);
  });

  it('sees only its own processes, and none of them carries our environment', async () => {
    process.env.OPENAI_API_KEY = 'sk-decoy-in-parent';
    try {
      const session = fixture.open();
      const result = await session.run(
        `ls /proc | grep -c '^[0-9]'; cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c API_KEY; true`,
      );
      const [processCount, keyCount] = result.output.trim().split('\n').map(Number);
      // bwrap's init, the shell, the pipeline's processes: a handful, not the machine's hundreds.
      expect(processCount).toBeLessThan(10);
      expect(keyCount).toBe(0);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });
});
