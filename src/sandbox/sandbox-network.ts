/**
 * Network for a bwrap sandbox that has it on (issue 7, item 3): the sandbox keeps its own network
 * namespace (bwrap's --unshare-all), and a user-mode network helper from Debian's packages gives that
 * namespace an interface, an address, a default route and a resolver. Never the host's namespace: with
 * it a command reaches every service on the host's loopback, our own server included.
 *
 * - slirp4netns (preferred): a virtual 10.0.2.0/24 with the gateway at 10.0.2.2 and DNS at 10.0.2.3;
 *   `--disable-host-loopback` refuses connections to 10.0.2.2, which it would otherwise hand to the
 *   host's 127.0.0.1. `--exit-fd` ends it when we go (a pipe only we hold the other end of).
 * - pasta (Debian `passt`): the namespace copies the host's addresses and routes; `-T none -U none`
 *   forwards nothing from the namespace's loopback to the host's, `--no-map-gw` keeps the gateway
 *   address from meaning the host, and `--dns-forward` gives the sandbox a resolver address of its own.
 *   It has no exit fd, so it runs under `setpriv --pdeathsig KILL` to end when we go.
 *
 * The handshake: bwrap writes its sandbox's pid to an info fd and waits on a block fd before it runs the
 * shell; we attach the helper to that pid's namespaces, wait for it to say the network is up, then release
 * the block fd. So no command runs before the network is there, and the helper ends with the shell.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { SandboxStartError } from './sandbox-start-error.ts';

const run = promisify(execFile);

export type NetworkToolKind = 'slirp4netns' | 'pasta';

export interface NetworkTool {
  kind: NetworkToolKind;
  path: string;
  /** What `--version` said, for `mp doctor`. */
  version: string;
}

export interface NetworkToolPaths {
  slirp4netns?: string;
  pasta?: string;
}

/** The fds bwrap gets when network is on: fd 3 (info out), 4 (block in), 5 (resolv.conf in). */
export const SANDBOX_NETWORK_FDS = { info: 3, block: 4, resolvConf: 5 } as const;

/** bwrap's part of the handshake, and the sandbox's own resolv.conf (the host's may name its loopback). */
export function bwrapNetworkArguments(): string[] {
  const fds = SANDBOX_NETWORK_FDS;
  return [
    '--info-fd',
    String(fds.info),
    '--block-fd',
    String(fds.block),
    '--ro-bind-data',
    String(fds.resolvConf),
    '/etc/resolv.conf',
  ];
}

const SLIRP_RESOLVER = '10.0.2.3';
/** pasta's resolver inside: link-local, so it never names a real machine a query could otherwise reach. */
const PASTA_RESOLVER = '169.254.1.53';

export function sandboxResolver(kind: NetworkToolKind): string {
  return kind === 'slirp4netns' ? SLIRP_RESOLVER : PASTA_RESOLVER;
}

export function sandboxResolvConf(kind: NetworkToolKind): string {
  return `nameserver ${sandboxResolver(kind)}\n`;
}

/** Network on and no helper installed: fail closed, never the host's namespace. */
export class NetworkToolMissingError extends SandboxStartError {
  constructor() {
    super(
      'bwrap',
      'network is on for this conversation, but neither slirp4netns nor pasta is installed, and the sandbox ' +
        'never shares the host network: install one (Debian/Ubuntu: apt-get install slirp4netns, or ' +
        'apt-get install passt), or turn network off',
    );
    this.name = 'NetworkToolMissingError';
  }
}

async function version(path: string): Promise<string | null> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
    return stdout.split('\n')[0]?.trim() ?? '';
  } catch {
    return null;
  }
}

/**
 * The helper this machine has: slirp4netns when installed, else pasta, else null.
 *
 * @example
 * const tool = await findNetworkTool(); // { kind: 'slirp4netns', path: 'slirp4netns', version: 'slirp4netns version 1.2.0' }
 */
export async function findNetworkTool(paths: NetworkToolPaths = {}): Promise<NetworkTool | null> {
  const slirpPath = paths.slirp4netns ?? 'slirp4netns';
  const slirp = await version(slirpPath);
  if (slirp !== null) return { kind: 'slirp4netns', path: slirpPath, version: slirp };
  const pastaPath = paths.pasta ?? 'pasta';
  const pasta = await version(pastaPath);
  if (pasta !== null) return { kind: 'pasta', path: pastaPath, version: pasta };
  return null;
}

/** One line for `mp doctor`: what network on means in a bwrap sandbox here. */
export function describeNetworkTool(tool: NetworkTool | null): string {
  if (tool === null) {
    return 'network on = refused: neither slirp4netns nor pasta is installed (apt-get install slirp4netns)';
  }
  const named = tool.version.replace(/ version unknown$| unknown version$/, ' (version unknown)');
  return `network on = own namespace via ${named.replace(/ version /, ' ')}, host loopback not reachable`;
}

export function slirp4netnsArguments(pid: number): string[] {
  return [
    '--configure',
    '--mtu=65520',
    '--disable-host-loopback',
    '--enable-sandbox',
    '--ready-fd=3',
    '--exit-fd=4',
    `--userns-path=/proc/${pid}/ns/user`,
    String(pid),
    'tap0',
  ];
}

export function pastaArguments(options: {
  pid: number;
  pidFile: string;
  uid: number;
  gid: number;
}): string[] {
  return [
    '--foreground',
    '--quiet',
    // As root pasta would become `nobody`, which may not enter the sandbox's user namespace.
    ...(options.uid === 0 ? ['--runas', `${options.uid}:${options.gid}`] : []),
    '--config-net',
    '--tcp-ports',
    'none',
    '--udp-ports',
    'none',
    '--tcp-ns',
    'none',
    '--udp-ns',
    'none',
    '--no-map-gw',
    '--dns-forward',
    PASTA_RESOLVER,
    '--pid',
    options.pidFile,
    '--userns',
    `/proc/${options.pid}/ns/user`,
    '--netns',
    `/proc/${options.pid}/ns/net`,
  ];
}

/** A running helper; stop() kills it and resolves once it is gone. */
export interface NetworkAttachment {
  readonly helperPid: number;
  stop(): Promise<void>;
}

const STDERR_CHARS = 2000;

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}

function pipe(child: ChildProcess, fd: number): Readable & Writable {
  const stream = child.stdio[fd];
  if (stream === null || stream === undefined) throw new Error(`fd ${fd} of the sandbox is not a pipe`);
  // A peer that dies resets its pipe (ECONNRESET, EPIPE); its exit is what we act on, not the pipe's error.
  if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
  return stream as Readable & Writable;
}

interface Helper {
  process: ChildProcess;
  /** Resolves once the helper says the namespace is configured. */
  ready: Promise<void>;
  cleanup: () => Promise<void>;
}

function watchHelper(helper: ChildProcess, name: string, readySignal: Promise<void>): Promise<void> {
  let stderr = '';
  helper.stderr?.on('error', () => undefined);
  helper.stderr?.setEncoding('utf8');
  helper.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_CHARS);
  });
  const ended = new Promise<never>((_, reject) => {
    helper.once('error', (error) => reject(new Error(`${name} could not run: ${error.message}`)));
    helper.once('exit', (code, signal) => {
      reject(
        new Error(`${name} ended before the network was up (${signal ?? `exit ${code}`}): ${stderr.trim()}`),
      );
    });
  });
  return Promise.race([readySignal, ended]);
}

function startSlirp4netns(tool: NetworkTool, pid: number): Helper {
  const helper = spawn(tool.path, slirp4netnsArguments(pid), {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const readyFd = pipe(helper, 3);
  pipe(helper, 4);
  const readySignal = new Promise<void>((resolve) => readyFd.once('data', () => resolve()));
  return {
    process: helper,
    ready: watchHelper(helper, 'slirp4netns', readySignal),
    cleanup: async () => {
      readyFd.destroy();
      pipe(helper, 4).destroy();
    },
  };
}

async function startPasta(tool: NetworkTool, pid: number): Promise<Helper> {
  // pasta says it is ready by writing its pid file, so the file is a FIFO we read from.
  const folder = await mkdtemp(join(tmpdir(), 'mp-pasta-'));
  const pidFile = join(folder, 'ready');
  await run('mkfifo', ['-m', '0600', pidFile]);
  const reader = new Socket({
    fd: openSync(pidFile, constants.O_RDONLY | constants.O_NONBLOCK),
    readable: true,
    writable: false,
  });
  reader.on('error', () => undefined);
  const readySignal = new Promise<void>((resolve) => reader.once('data', () => resolve()));
  const args = pastaArguments({ pid, pidFile, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  const helper = spawn('setpriv', ['--pdeathsig', 'KILL', tool.path, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    process: helper,
    ready: watchHelper(helper, 'pasta', readySignal),
    cleanup: async () => {
      reader.destroy();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function stopper(helper: ChildProcess, cleanup: () => Promise<void>): () => Promise<void> {
  const gone = new Promise<void>((resolve) => {
    if (helper.exitCode !== null || helper.signalCode !== null) resolve();
    else helper.once('exit', () => resolve());
  });
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      helper.kill('SIGKILL');
      await gone;
      await cleanup();
    })();
    return stopping;
  };
}

const LOOPBACK_POLL_MS = 2;

/**
 * Resolves once bwrap has given its namespace's lo the address 127.0.0.1. bwrap does that right after it
 * reports the pid, and fails if the address is already there (RTM_NEWADDR, exclusive), while the helpers
 * bring lo up themselves, which adds it: so the helper starts only after bwrap's own setup. The kernel
 * sends no event for it; its address table is read until the address shows (usually on the first read).
 */
async function loopbackConfigured(pid: number, child: ChildProcess): Promise<void> {
  for (;;) {
    const table = await readFile(`/proc/${pid}/net/fib_trie`, 'utf8').catch(() => null);
    if (table?.includes('127.0.0.1')) return;
    if (table === null || child.exitCode !== null || child.signalCode !== null) {
      throw new Error('the sandbox ended before its network namespace was set up');
    }
    await new Promise((resolve) => setTimeout(resolve, LOOPBACK_POLL_MS));
  }
}

/**
 * The host side of the handshake with a bwrap started with bwrapNetworkArguments(): gives it its
 * resolv.conf, attaches the helper to its sandbox, and lets the shell start once the network is up. The
 * helper is stopped when the sandbox's bwrap exits. Rejects (and leaves nothing running) when the helper
 * cannot set the network up.
 *
 * @example
 * launch.ready = async (child) => void (await attachSandboxNetwork(child, tool));
 */
export async function attachSandboxNetwork(
  child: ChildProcess,
  tool: NetworkTool,
): Promise<NetworkAttachment> {
  const fds = SANDBOX_NETWORK_FDS;
  pipe(child, fds.block);
  pipe(child, fds.resolvConf).end(sandboxResolvConf(tool.kind));
  const info = await readAll(pipe(child, fds.info));
  const pid = (JSON.parse(info === '' ? '{}' : info) as { 'child-pid'?: unknown })['child-pid'];
  if (typeof pid !== 'number') throw new Error('bwrap ended before its sandbox existed');

  await loopbackConfigured(pid, child);
  const helper = tool.kind === 'slirp4netns' ? startSlirp4netns(tool, pid) : await startPasta(tool, pid);
  const stop = stopper(helper.process, helper.cleanup);
  const sandboxGone = (): void => void stop();
  child.once('exit', sandboxGone);
  if (child.exitCode !== null || child.signalCode !== null) sandboxGone();
  try {
    await helper.ready;
  } catch (error) {
    await stop();
    throw error;
  }
  pipe(child, fds.block).end('1');
  return { helperPid: helper.process.pid ?? -1, stop };
}
