/**
 * One git process run on the host for the checkpoint engine and the workspace's own repository: arguments as
 * an array (never a shell), standard input from a buffer, standard output kept as bytes (paths in `-z` output
 * are bytes, not text), a time limit, and a cap on what is kept of standard output (a diff can be huge).
 *
 * The environment is complete as given: nothing here reads process.env, so what git sees is what the caller
 * built (src/workspace/git-environment.ts).
 */
import { spawn } from 'node:child_process';
import { GitFailedError } from '../core/errors.ts';

export interface GitRun {
  /** The git executable, a path or a name looked up on the environment's PATH. */
  gitBinary: string;
  args: readonly string[];
  environment: Record<string, string>;
  input?: Buffer | string | undefined;
  timeoutMs: number;
  /** Standard output beyond this is dropped (and the process stopped): `truncated` says so. */
  maxOutputBytes?: number | undefined;
  /** Called once per process started: the bench counts them. */
  onSpawn?: ((args: readonly string[]) => void) | undefined;
}

export interface GitResult {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

/** Standard error is for messages; a few kilobytes say everything a caller reports. */
const MAX_STDERR_BYTES = 64 * 1024;

export function runGit(run: GitRun): Promise<GitResult> {
  const { promise, resolve, reject } = Promise.withResolvers<GitResult>();
  run.onSpawn?.(run.args);
  const child = spawn(run.gitBinary, [...run.args], {
    env: run.environment,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const limit = run.maxOutputBytes ?? Number.POSITIVE_INFINITY;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrBytes = 0;
  let truncated = false;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, run.timeoutMs);
  child.stdout.on('data', (chunk: Buffer) => {
    if (truncated) return;
    const room = limit - stdoutBytes;
    if (chunk.length > room) {
      stdout.push(chunk.subarray(0, room));
      stdoutBytes = limit;
      truncated = true;
      child.kill('SIGKILL');
      return;
    }
    stdout.push(chunk);
    stdoutBytes += chunk.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderrBytes >= MAX_STDERR_BYTES) return;
    stderr.push(chunk);
    stderrBytes += chunk.length;
  });
  child.on('error', (error) => {
    clearTimeout(timer);
    reject(error);
  });
  child.on('close', (exitCode) => {
    clearTimeout(timer);
    resolve({
      exitCode,
      stdout: Buffer.concat(stdout),
      stderr: Buffer.concat(stderr).toString('utf8'),
      truncated,
      timedOut,
    });
  });
  // git may exit before reading all of its input (a fatal error): that is reported by its exit code.
  child.stdin.on('error', () => undefined);
  child.stdin.end(run.input ?? '');
  return promise;
}

/** Runs git and returns its output; any exit code but 0 is a GitFailedError with git's own words. */
export async function gitOutput(run: GitRun): Promise<GitResult> {
  const result = await runGit(run);
  if (result.timedOut) {
    throw new GitFailedError(run.args, `stopped after ${run.timeoutMs} ms (the time limit)`, result.exitCode);
  }
  if (result.exitCode !== 0 && !result.truncated) {
    throw new GitFailedError(run.args, result.stderr, result.exitCode);
  }
  return result;
}
