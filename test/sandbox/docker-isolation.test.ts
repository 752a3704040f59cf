/**
 * What the docker sandbox must keep from a command: the same decoys as bwrap-isolation, the host's file
 * system for writing, and the host's network while network is off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { requirement } from '../support/environment.ts';
import { dockerWithImage } from './docker-available.ts';
import { useIsolationFixture } from './isolation-fixture.ts';

const available = requirement(
  'a Docker engine with the sandbox image (scripts/ci-docker.sh)',
  dockerWithImage(),
);

/** Prints the default gateway (the host, on docker's bridge) as a dotted address, from /proc/net/route. */
const PRINT_GATEWAY = [
  'while read -r _ destination gateway _; do [ "$destination" = 00000000 ] && break; done < /proc/net/route',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash substrings, not a template
  'printf "%d.%d.%d.%d" 0x${gateway:6:2} 0x${gateway:4:2} 0x${gateway:2:2} 0x${gateway:0:2}',
].join('; ');

describe.runIf(available)('docker isolation', () => {
  const fixture = useIsolationFixture('docker', createDockerSession, '0.0.0.0');

  it('cannot read our config file, our database or the real home', async () => {
    const session = fixture.open();
    for (const file of fixture.decoys.files) {
      const result = await session.run(`cat '${file.path}'`);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).not.toContain(file.secret);
    }
    expect((await session.run('cat control.txt | wc -l')).output).toBe('3\n');
  });

  it('refuses a workspace that contains our data and config dirs or the home (issue 7, item 4)', async () => {
    const session = fixture.open({ workspace: fixture.decoys.root });
    await expect(session.run('true')).rejects.toThrow(/This workspace is refused: .* holds your home folder/);
  });

  it('cannot write outside the workspace; writes inside it reach the host', async () => {
    const session = fixture.open();
    for (const target of ['/usr/mp-escape', '/etc/mp-escape', '/mp-escape']) {
      expect((await session.run(`touch '${target}'`)).exitCode, target).not.toBe(0);
    }
    // The workspace's parent inside is the container's private /tmp: writable, and gone with it.
    await session.run(`touch '${join(fixture.decoys.root, 'written')}'`);
    expect(existsSync(join(fixture.decoys.root, 'written'))).toBe(false);
    expect(await session.run('echo made > made-inside.txt')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(fixture.decoys.workspace, 'made-inside.txt'))).toBe(true);
  });

  it('reaches the host when network is on, and not when it is off', async () => {
    const online = fixture.open({ network: true });
    const gateway = (await online.run(PRINT_GATEWAY)).output;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const command = `exec 3<>/dev/tcp/${gateway}/${fixture.port} && echo connected && head -1 <&3`;
    const before = fixture.connections;
    expect((await online.run(command)).output).toBe('connected\nhello from the host\n');
    expect(fixture.connections).toBe(before + 1);
    const offline = await fixture.open().run(`${command}; cat /proc/net/route | wc -l`);
    expect(offline.output).not.toContain('connected');
    expect(offline.output).toContain('Network is unreachable');
    expect(fixture.connections).toBe(before + 1);
  });

  it('removes its container on close', async () => {
    const session = fixture.open();
    const result = await session.run('cat /proc/1/cmdline | tr "\\0" " "; echo; cat /etc/hostname');
    const [keeper, containerId] = result.output.trim().split('\n');
    expect(keeper).toContain('sleep 86399');
    const listed = () =>
      execFileSync('docker', ['ps', '-aq', '--filter', `id=${containerId}`], { encoding: 'utf8' }).trim();
    expect(listed()).not.toBe('');
    await session.close();
    expect(listed()).toBe('');
  });
});
