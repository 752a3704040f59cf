/**
 * Sandbox costs per backend: starting a session's shell, and the round trip of `true` in a warm shell
 * (control line in, end marker out), beside the floors measured in the same run: spawning `bash -c true`
 * and starting a bare `bwrap … true` with the same sandbox arguments.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ShellSession, ShellSessionOptions } from '../src/core/shell-session.ts';
import { bwrapArguments } from '../src/sandbox/bwrap-arguments.ts';
import { createBwrapSession } from '../src/sandbox/bwrap-session.ts';
import { createDockerSession, DEFAULT_DOCKER_IMAGE } from '../src/sandbox/docker-session.ts';
import { createHostSession } from '../src/sandbox/host-session.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const ROUND_TRIPS = 200;
const STARTS = 10;

function works(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

function spawnToExit(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: 'ignore', env: {} });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - started));
  });
}

async function sample(count: number, measure: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) samples.push(await measure());
  return samples;
}

function latencyRows(name: string, samples: number[], note: string): BenchResult[] {
  const { median, p99 } = percentiles(samples);
  return [
    { name: `${name}, median`, value: round(median, 3), unit: 'ms', note: `${note}; ${samples.length} runs` },
    { name: `${name}, p99`, value: round(p99, 3), unit: 'ms', note: `${samples.length} runs` },
  ];
}

async function backendRows(
  name: string,
  create: (options: ShellSessionOptions) => ShellSession,
  workspace: string,
): Promise<BenchResult[]> {
  const starts = await sample(STARTS, async () => {
    const session = create({ workspace });
    const started = performance.now();
    await session.start();
    const elapsed = performance.now() - started;
    await session.close();
    return elapsed;
  });
  const session = create({ workspace });
  await session.start();
  await session.run('true');
  const trips = await sample(ROUND_TRIPS, async () => {
    const started = performance.now();
    const result = await session.run('true');
    if (result.status !== 'completed') throw new Error(`${name}: \`true\` ended ${result.status}`);
    return performance.now() - started;
  });
  await session.close();
  return [
    ...latencyRows(
      `${name}: shell start`,
      starts,
      'new session to first marker (docker: container create + exec)',
    ),
    ...latencyRows(`${name}: \`true\` round trip, warm shell`, trips, 'run() call to result'),
  ];
}

export default async function sandboxBench(): Promise<BenchResult[]> {
  const workspace = makeTempDir('mp-bench-sandbox-');
  try {
    const results: BenchResult[] = [];
    await spawnToExit('bash', ['-c', 'true']);
    results.push(
      ...latencyRows(
        'bare `bash -c true` spawn',
        await sample(ROUND_TRIPS, () => spawnToExit('bash', ['-c', 'true'])),
        'floor: a fresh process per command',
      ),
    );
    const bwrapReady = works('bwrap', ['--version']);
    if (bwrapReady) {
      const args = [
        ...bwrapArguments({ workspace: workspace.path, network: false, hiddenPaths: [] }),
        'true',
      ];
      results.push(
        ...latencyRows(
          'bare `bwrap … true` start',
          await sample(STARTS * 5, () => spawnToExit('bwrap', args)),
          'floor: the same sandbox arguments, no shell',
        ),
      );
      results.push(...(await backendRows('bwrap', (options) => createBwrapSession(options), workspace.path)));
    } else {
      results.push({ name: 'bwrap', value: 0, unit: '-', note: 'skipped: bwrap is not available' });
    }
    if (works('docker', ['image', 'inspect', DEFAULT_DOCKER_IMAGE])) {
      results.push(
        ...(await backendRows('docker', (options) => createDockerSession(options), workspace.path)),
      );
    } else {
      results.push({ name: 'docker', value: 0, unit: '-', note: 'skipped: no engine or no sandbox image' });
    }
    results.push(...(await backendRows('host', (options) => createHostSession(options), workspace.path)));
    return results;
  } finally {
    workspace.remove();
  }
}
