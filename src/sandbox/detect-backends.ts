/**
 * Which sandbox backends work on this machine, and why not, for `mp doctor` and for choosing the default.
 * Each check starts the real thing (a bwrap sandbox, a docker engine query) rather than looking for files,
 * because an installed bwrap can still be refused user namespaces by the kernel.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SandboxKind } from '../core/shell-session.ts';
import { bwrapArguments } from './bwrap-arguments.ts';
import { DEFAULT_DOCKER_IMAGE } from './docker-session.ts';
import { describeNetworkTool, findNetworkTool } from './sandbox-network.ts';

const run = promisify(execFile);

/** docker-session.ts runs network on in Docker's default bridge, never `--network host`. */
const DOCKER_NETWORK =
  'network on = own namespace on Docker’s default bridge, host loopback not reachable (its 127.0.0.1 is the container’s)';
const CHECK_TIMEOUT_MS = 15_000;

export interface BackendReport {
  sandbox: SandboxKind;
  available: boolean;
  /** What works, or why not and what to do about it. */
  detail: string;
  /** What network on means with this backend here (issue 7, item 3), for `mp doctor`. */
  network?: string;
}

export interface DetectOptions {
  bwrapPath?: string;
  dockerPath?: string;
  dockerImage?: string;
}

function failureText(error: unknown): string {
  const withOutput = error as { code?: unknown; stderr?: string; message?: string };
  if (withOutput.code === 'ENOENT') return 'ENOENT';
  return (withOutput.stderr?.trim() || withOutput.message || String(error)).split('\n').slice(-3).join(' ');
}

export async function detectBwrap(bwrapPath = 'bwrap'): Promise<BackendReport> {
  let version: string;
  try {
    version = (await run(bwrapPath, ['--version'], { timeout: CHECK_TIMEOUT_MS })).stdout.trim();
  } catch (error) {
    const why = failureText(error);
    return {
      sandbox: 'bwrap',
      available: false,
      detail:
        why === 'ENOENT'
          ? 'bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)'
          : `bwrap --version failed: ${why}`,
    };
  }
  const workspace = await mkdtemp(join(tmpdir(), 'mp-detect-'));
  try {
    const args = bwrapArguments({ workspace, network: false, hiddenPaths: [] });
    await run(bwrapPath, [...args, 'bash', '-c', 'touch probe'], { timeout: CHECK_TIMEOUT_MS, env: {} });
    return {
      sandbox: 'bwrap',
      available: true,
      detail: `${version}: a sandbox started and wrote to its workspace`,
      network: describeNetworkTool(await findNetworkTool()),
    };
  } catch (error) {
    const why = failureText(error);
    const hint = /namespace|uid map|permission|operation not permitted/i.test(why)
      ? ' (the kernel refuses unprivileged user namespaces: allow them, e.g. sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu 24.04+ an AppArmor profile for bwrap)'
      : '';
    return {
      sandbox: 'bwrap',
      available: false,
      detail: `${version} is installed but a sandbox did not start: ${why}${hint}`,
    };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

export async function detectDocker(
  options: { dockerPath?: string; image?: string } = {},
): Promise<BackendReport> {
  const docker = options.dockerPath ?? 'docker';
  const image = options.image ?? DEFAULT_DOCKER_IMAGE;
  let engine: string;
  try {
    const { stdout } = await run(docker, ['version', '--format', '{{.Server.Version}}'], {
      timeout: CHECK_TIMEOUT_MS,
    });
    engine = stdout.trim();
  } catch (error) {
    const why = failureText(error);
    return {
      sandbox: 'docker',
      available: false,
      detail: why === 'ENOENT' ? 'the docker CLI is not installed' : `no Docker engine answers: ${why}`,
    };
  }
  try {
    await run(docker, ['image', 'inspect', '--format', '{{.Id}}', image], { timeout: CHECK_TIMEOUT_MS });
  } catch {
    return {
      sandbox: 'docker',
      available: false,
      detail: `Docker engine ${engine} answers but the image ${image} is missing (build it with scripts/ci-docker.sh, or choose another image)`,
    };
  }
  return {
    sandbox: 'docker',
    available: true,
    detail: `Docker engine ${engine} with image ${image}`,
    network: DOCKER_NETWORK,
  };
}

export function detectHost(): BackendReport {
  return {
    sandbox: 'host',
    available: true,
    detail: 'no isolation: commands run as this user, with its files and its network',
    network: 'network = the host’s own, loopback and our server included',
  };
}

/**
 * @example
 * for (const report of await detectBackends()) console.log(report.sandbox, report.available, report.detail);
 */
export async function detectBackends(options: DetectOptions = {}): Promise<BackendReport[]> {
  const [bwrap, docker] = await Promise.all([
    detectBwrap(options.bwrapPath),
    detectDocker({
      ...(options.dockerPath === undefined ? {} : { dockerPath: options.dockerPath }),
      ...(options.dockerImage === undefined ? {} : { image: options.dockerImage }),
    }),
  ]);
  return [bwrap, docker, detectHost()];
}
