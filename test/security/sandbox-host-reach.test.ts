/**
 * The host's local services stay out of reach of a bwrap sandbox, by every spelling of "this machine" and
 * every kind of socket (issue 7, item 3): not only TCP to 127.0.0.1 but 127.0.0.2, `::ffff:127.0.0.1`,
 * `0.0.0.0`, UDP, and an abstract unix socket (abstract sockets belong to a network namespace, so sharing the
 * host's would reach it even with no file system path). Each probe goes to loopback or to the sandbox's own
 * virtual addresses; pasta's gateway and other 10.0.2.x addresses would leave this machine, so they are not
 * probed. Had the sandbox the host's namespace, every one of these would arrive.
 */
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShellSession } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import type { NetworkToolPaths } from '../../src/sandbox/sandbox-network.ts';
import { hasExecutable, requirement } from '../support/environment.ts';

const MISSING = '/nonexistent/mp-no-such-tool';
const bwrap = requirement('bubblewrap (bwrap)', hasExecutable('bwrap'));
const python = requirement(
  'python3 in /usr/bin (for an abstract unix socket)',
  existsSync('/usr/bin/python3'),
);
const ABSTRACT = `mp-test-abstract-${process.pid}`;

const modes: {
  name: string;
  available: boolean;
  network: boolean;
  tools: NetworkToolPaths;
  extra: string[];
}[] = [
  { name: 'network off', available: true, network: false, tools: {}, extra: [] },
  {
    name: 'slirp4netns',
    available: requirement('slirp4netns', hasExecutable('slirp4netns')),
    network: true,
    tools: { pasta: MISSING },
    // The gateway: without --disable-host-loopback it is the host's 127.0.0.1.
    extra: ['10.0.2.2'],
  },
  {
    name: 'pasta',
    available: requirement('pasta (Debian package passt)', hasExecutable('pasta')),
    network: true,
    tools: { slirp4netns: MISSING },
    extra: [],
  },
];

const LOOPBACK_FORMS = ['127.0.0.1', '127.0.0.2', 'localhost', '::ffff:127.0.0.1', '0.0.0.0'];

describe.runIf(bwrap)('the host’s local services from inside a bwrap sandbox', () => {
  let workspace = '';
  let tcp: Server;
  let abstract: Server;
  let udp: Socket;
  let tcpPort = 0;
  let udpPort = 0;
  const arrived: string[] = [];
  const sessions: ShellSession[] = [];

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'mp-host-reach-'));
    tcp = createServer((socket) => {
      arrived.push('tcp');
      socket.end('host\n');
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    tcpPort = (tcp.address() as { port: number }).port;
    abstract = createServer((socket) => {
      arrived.push('abstract');
      socket.end('host\n');
    });
    await new Promise<void>((resolve) => abstract.listen(`\0${ABSTRACT}`, resolve));
    udp = createSocket('udp4');
    udp.on('message', (message) => {
      if (message.toString() !== 'sentinel') arrived.push(`udp ${message}`);
    });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    udpPort = udp.address().port;
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    await new Promise<void>((resolve) => abstract.close(() => resolve()));
    udp.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Datagrams on loopback are queued in order: once our own sentinel arrives, any earlier one has too. */
  function udpDrained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const sentinel = createSocket('udp4');
      const onMessage = (message: Buffer) => {
        if (message.toString() !== 'sentinel') return;
        udp.off('message', onMessage);
        sentinel.close();
        resolve();
      };
      udp.on('message', onMessage);
      sentinel.send('sentinel', udpPort, '127.0.0.1');
    });
  }

  for (const mode of modes) {
    it.runIf(mode.available)(`${mode.name}: no TCP, UDP or abstract socket of the host answers`, async () => {
      const session = createBwrapSession({ workspace, network: mode.network }, { networkTools: mode.tools });
      sessions.push(session);
      const hosts = [...LOOPBACK_FORMS, ...mode.extra];
      const command = [
        ...hosts.map((host) => `(exec 3<>/dev/tcp/${host}/${tcpPort} && echo "connected tcp ${host}") 2>&1`),
        ...hosts.map((host) => `(echo "from ${host}" > /dev/udp/${host}/${udpPort}) 2>/dev/null`),
        python
          ? `/usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("\\0${ABSTRACT}"); print("connected abstract")' 2>&1 | tail -n 1`
          : 'true',
      ].join('; ');
      arrived.length = 0;
      const { output } = await session.run(command);
      await udpDrained();
      expect(output).not.toContain('connected');
      if (python) expect(output).toMatch(/ConnectionRefusedError/);
      expect(arrived).toEqual([]);
    });
  }
});
