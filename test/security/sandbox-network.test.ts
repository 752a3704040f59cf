/**
 * Network on is the internet, not the host (issue 7, item 3). A bwrap sandbox with network on used to share
 * the host's network namespace, so a command reached every service on the host's loopback, our own server
 * included. Now it has a namespace of its own, given an interface by slirp4netns or pasta with the host's
 * loopback not forwarded; Docker's bridge has its own too. Every probe here goes to loopback or to the
 * sandbox's own virtual addresses (slirp4netns' 10.0.2.2 exists only inside its namespace).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import { ExecutionSchema } from '../../src/core/api/terminal-schemas.ts';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { createBwrapSession } from '../../src/sandbox/bwrap-session.ts';
import { createDockerSession, DOCKER_LABEL } from '../../src/sandbox/docker-session.ts';
import type { NetworkToolPaths } from '../../src/sandbox/sandbox-network.ts';
import { dockerWithImage } from '../sandbox/docker-available.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { expectJson, startTestApp } from '../support/test-app.ts';

const MISSING = '/nonexistent/mp-no-such-tool';
const bwrap = requirement('bubblewrap (bwrap)', hasExecutable('bwrap'));
const slirp = requirement('slirp4netns (Debian package slirp4netns)', hasExecutable('slirp4netns'));
const pasta = requirement('pasta (Debian package passt)', hasExecutable('pasta'));
const docker = requirement(
  'a Docker engine with the sandbox image (scripts/ci-docker.sh)',
  dockerWithImage(),
);

/** Tries a TCP connection from inside to each `host port`; prints `connected <host>` when one opens. */
function connectCommand(targets: [host: string, port: number | string][]): string {
  return targets
    .map(([host, port]) => `(exec 3<>/dev/tcp/${host}/${port} && echo "connected ${host}") 2>&1`)
    .join('; ');
}

/** Prints the default gateway as a dotted address, from /proc/net/route. */
const PRINT_GATEWAY = [
  'while read -r _ destination gateway _; do [ "$destination" = 00000000 ] && break; done < /proc/net/route',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash substrings, not a template
  'printf "%d.%d.%d.%d" 0x${gateway:6:2} 0x${gateway:4:2} 0x${gateway:2:2} 0x${gateway:0:2}',
].join('; ');

/** Interfaces other than lo, and whether a default route exists, from the kernel's own tables. */
const NETWORK_STATE = [
  `tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | grep -vx lo | sed 's/^/interface /'`,
  `awk 'NR > 1 && $2 == "00000000" { print "default route via", $1 }' /proc/net/route`,
  // A line "address <ip>" for each non-loopback IPv4 address (fib_trie lists local addresses as /32 host).
  `awk '/32 host LOCAL/ { print "address", previous } { previous = $2 }' /proc/net/fib_trie | grep -v 'address 127\\.' | sort -u`,
  'cat /etc/resolv.conf',
].join('; ');

/** Our own children that are network helpers (slirp4netns, or pasta: its binary is passt*). */
function networkHelpers(): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      if (parent === process.pid && fields[0] !== 'Z' && /^(slirp4netns|passt|pasta|setpriv)/.test(command)) {
        found.push(Number(name));
      }
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

interface HostListener {
  port: number;
  connections: number;
  close(): Promise<void>;
}

async function listenOnLoopback(): Promise<HostListener> {
  const state = { connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections += 1;
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const tools: { name: string; available: boolean; paths: NetworkToolPaths; gateway: string | null }[] = [
  // slirp4netns' gateway 10.0.2.2 would be the host's 127.0.0.1 without --disable-host-loopback.
  { name: 'slirp4netns', available: slirp, paths: { pasta: MISSING }, gateway: '10.0.2.2' },
  // pasta's gateway is the host's real one (outside this machine), so it is never probed here.
  { name: 'pasta', available: pasta, paths: { slirp4netns: MISSING }, gateway: null },
];

describe.runIf(bwrap)('bwrap sandbox network', () => {
  let workspace = '';
  let listener: HostListener;
  const sessions: ShellSession[] = [];
  const open = (options: Partial<ShellSessionOptions>, networkTools: NetworkToolPaths = {}) => {
    const session = createBwrapSession({ workspace, ...options }, { networkTools });
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'mp-network-'));
    listener = await listenOnLoopback();
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await listener.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  for (const tool of tools) {
    describe.runIf(tool.available)(`network on through ${tool.name}`, () => {
      it('cannot reach a listener on the host loopback, by 127.0.0.1 or by the gateway', async () => {
        const session = open({ network: true }, tool.paths);
        const targets: [string, number][] = [
          ['127.0.0.1', listener.port],
          ['::1', listener.port],
        ];
        if (tool.gateway !== null) targets.push([tool.gateway, listener.port]);
        const result = await session.run(connectCommand(targets));
        expect(result.output).not.toContain('connected');
        expect(result.output).toMatch(/Connection refused|Network is unreachable/);
        expect(listener.connections).toBe(0);
      });

      it('has an interface with an address, a default route and the helper’s resolver', async () => {
        const session = open({ network: true }, tool.paths);
        const { output } = await session.run(NETWORK_STATE);
        const iface = /^interface (\S+)$/m.exec(output)?.[1];
        expect(iface, output).toBeDefined();
        expect(output).toContain(`default route via ${iface}`);
        expect(output).toMatch(/^address \d+\.\d+\.\d+\.\d+$/m);
        expect(output).toMatch(
          tool.name === 'slirp4netns' ? /^nameserver 10\.0\.2\.3$/m : /^nameserver 169\.254\.1\.53$/m,
        );
        if (tool.name === 'slirp4netns') expect(output).toContain('address 10.0.2.100');
      });

      it('ends the helper with the session, and starts a new one with a new shell', async () => {
        const before = new Set(networkHelpers());
        const session = createBwrapSession({ workspace, network: true }, { networkTools: tool.paths });
        await session.run('true');
        const first = networkHelpers().filter((pid) => !before.has(pid));
        expect(first).toHaveLength(1);
        // A shell that exits takes its helper with it; the next shell gets its own.
        await session.run('exit 3');
        const restarted = await session.run(NETWORK_STATE);
        expect(restarted.shellRestarted).toBe(true);
        expect(restarted.output).toMatch(/^default route via /m);
        const second = networkHelpers().filter((pid) => !before.has(pid));
        expect(second).toHaveLength(1);
        expect(second).not.toEqual(first);
        await session.close();
        const left = networkHelpers().filter((pid) => !before.has(pid));
        expect(
          left.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')),
          `first ${first}, second ${second}`,
        ).toEqual([]);
      });
    });
  }

  it('fails closed when neither slirp4netns nor pasta is installed, naming the package', async () => {
    const session = open({ network: true }, { slirp4netns: MISSING, pasta: MISSING });
    await expect(session.run('echo ran')).rejects.toThrow(/apt-get install slirp4netns/);
  });

  it('has no interface but lo with network off', async () => {
    const session = open({ network: false });
    const { output } = await session.run(
      `${NETWORK_STATE}; ${connectCommand([['127.0.0.1', listener.port]])}`,
    );
    expect(output).not.toMatch(/^interface |^default route|^address /m);
    expect(output).not.toContain('connected');
    expect(listener.connections).toBe(0);
  });
});

describe.runIf(bwrap && (slirp || pasta))('the app’s own port from a conversation with network on', () => {
  it('is out of reach of a command run through the API', async () => {
    const t = await startTestApp();
    try {
      const conversation = await expectJson(
        await t.api('POST', '/api/conversations', { title: 'network' }),
        ConversationWithMessagesSchema,
        201,
      );
      await t.api('PATCH', `/api/conversations/${conversation.id}`, { sandbox: 'bwrap', network: true });
      const port = new URL(t.baseUrl).port;
      const execution = await expectJson(
        await t.api('POST', `/api/conversations/${conversation.id}/run`, {
          command: `${connectCommand([
            ['127.0.0.1', port],
            ['10.0.2.2', port],
          ])}; grep -c . /proc/net/route`,
        }),
        ExecutionSchema,
      );
      expect(execution.output).not.toContain('connected');
      expect(execution.output).toMatch(/Connection refused/);
      // The route table has a header and at least the default route: network on did give a network.
      expect(Number(execution.output.trim().split('\n').at(-1))).toBeGreaterThanOrEqual(2);
    } finally {
      await t.close();
    }
  });
});

describe.runIf(docker)('docker sandbox network', () => {
  let workspace = '';
  let listener: HostListener;
  const sessions: ShellSession[] = [];

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'mp-network-docker-'));
    listener = await listenOnLoopback();
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await listener.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  function networkModes(): string[] {
    const ids = execFileSync('docker', [
      'ps',
      '--quiet',
      '--filter',
      `label=${DOCKER_LABEL}.owner-pid=${process.pid}`,
    ])
      .toString()
      .trim()
      .split('\n')
      .filter((id) => id !== '');
    if (ids.length === 0) return [];
    return execFileSync('docker', [
      'inspect',
      '--format',
      '{{.HostConfig.NetworkMode}} {{json .HostConfig.ExtraHosts}}',
      ...ids,
    ])
      .toString()
      .trim()
      .split('\n');
  }

  it('with network on: its own bridge namespace, the host’s 127.0.0.1 and its gateway refuse', async () => {
    const session = createDockerSession({ workspace, network: true });
    sessions.push(session);
    const state = await session.run(NETWORK_STATE);
    expect(state.output).toMatch(/^default route via eth0$/m);
    // The bridge's gateway is the host's own docker0 address: a listener on 127.0.0.1 is not behind it.
    const gateway = (await session.run(PRINT_GATEWAY)).output;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const result = await session.run(
      connectCommand([
        ['127.0.0.1', listener.port],
        [gateway, listener.port],
      ]),
    );
    expect(result.output).not.toContain('connected');
    expect(listener.connections).toBe(0);
    for (const mode of networkModes()) expect(mode).toMatch(/^(bridge|none) (null|\[\])$/);
  });

  it('with network off: no interface but lo', async () => {
    const session = createDockerSession({ workspace, network: false });
    sessions.push(session);
    const { output } = await session.run(NETWORK_STATE);
    expect(output).not.toMatch(/^interface |^default route|^address /m);
  });
});
