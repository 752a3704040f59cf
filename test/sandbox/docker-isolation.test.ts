/**
 * What the docker sandbox must keep from a command: the same decoys as bwrap-isolation, the host's file
 * system for writing, and the host's network while network is off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { createDockerSession } from '../../src/sandbox/docker-session.ts';
import { requirement } from '../support/environment.ts';
import { type Decoys, makeDecoys } from './decoys.ts';
import { dockerWithImage } from './docker-available.ts';

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
  let decoys: Decoys;
  const sessions: ShellSession[] = [];
  let server: Server;
  let port: number;
  let connections = 0;

  function open(options: Partial<ShellSessionOptions> = {}): ShellSession {
    const session = createDockerSession(
      { workspace: decoys.workspace, hiddenPaths: [decoys.configDir, decoys.dataDir], ...options },
      { realHome: decoys.home },
    );
    sessions.push(session);
    return session;
  }

  beforeAll(async () => {
    decoys = await makeDecoys('docker');
    server = createServer((socket) => {
      connections += 1;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await new Promise((resolve) => server.close(resolve));
    await rm(decoys.root, { recursive: true, force: true });
  });

  it('cannot read our config file, our database or the real home', async () => {
    const session = open();
    for (const file of decoys.files) {
      const result = await session.run(`cat '${file.path}'`);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).not.toContain(file.secret);
    }
    expect((await session.run('cat control.txt | wc -l')).output).toBe('3\n');
  });

  it('keeps them hidden even when the workspace contains them', async () => {
    const session = open({ workspace: decoys.root });
    const result = await session.run(
      'cat config/modelprogrammer/config.json data/modelprogrammer/modelprogrammer.db home/.ssh/id_ed25519 home/.aws/credentials 2>&1; ls -A data/modelprogrammer',
    );
    for (const file of decoys.files) expect(result.output).not.toContain(file.secret);
    expect((await session.run('touch data/modelprogrammer/planted')).exitCode).not.toBe(0);
    expect(existsSync(join(decoys.dataDir, 'planted'))).toBe(false);
  });

  it('cannot write outside the workspace; writes inside it reach the host', async () => {
    const session = open();
    for (const target of ['/usr/mp-escape', '/etc/mp-escape', '/mp-escape']) {
      expect((await session.run(`touch '${target}'`)).exitCode, target).not.toBe(0);
    }
    // The workspace's parent inside is the container's private /tmp: writable, and gone with it.
    await session.run(`touch '${join(decoys.root, 'written')}'`);
    expect(existsSync(join(decoys.root, 'written'))).toBe(false);
    expect(await session.run('echo made > made-inside.txt')).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(decoys.workspace, 'made-inside.txt'))).toBe(true);
  });

  it('reaches the host when network is on, and not when it is off', async () => {
    const online = open({ network: true });
    const gateway = (await online.run(PRINT_GATEWAY)).output;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const command = `exec 3<>/dev/tcp/${gateway}/${port} && echo connected && head -1 <&3`;
    const before = connections;
    expect((await online.run(command)).output).toBe('connected\nhello from the host\n');
    expect(connections).toBe(before + 1);
    const offline = await open().run(`${command}; cat /proc/net/route | wc -l`);
    expect(offline.output).not.toContain('connected');
    expect(offline.output).toContain('Network is unreachable');
    expect(connections).toBe(before + 1);
  });

  it('removes its container on close', async () => {
    const session = open();
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
