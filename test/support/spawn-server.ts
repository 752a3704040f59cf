import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnvironment, REPO_ROOT } from './environment.ts';

export interface SpawnedServer {
  child: ChildProcess;
  /** The printed sign-in link (`http://127.0.0.1:PORT/#code=…`). */
  url: string;
  port: number;
  /** The single-use code in that link ('' for a team server, which prints none). */
  code: string;
  /** The token the server uses: MP_TOKEN when the test set it, else the data dir's token file. */
  token: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * `mp serve`'s one line: the URL carries a single-use sign-in code in its fragment, never the token. A team
 * server (`--team`) prints its URL without one (people sign in with their accounts).
 */
const LISTENING = /ModelProgrammer listening on (http:\/\/127\.0\.0\.1:(\d+)\/(?:#code=(\S+))?)/;

/** `mp serve` as a real child process; resolves once it prints its listening line. */
export async function spawnServer(options: {
  dataDir: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Let `mp serve` open a browser (a test puts a fake opener on PATH); default: `--no-open`. */
  open?: boolean;
}): Promise<SpawnedServer> {
  const environment = { ...process.env, ...isolatedEnvironment(options.dataDir), ...options.env };
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'src', 'cli', 'main.ts'),
      'serve',
      ...(options.open ? [] : ['--no-open']),
      '--port',
      '0',
      '--data-dir',
      options.dataDir,
      ...(options.args ?? []),
    ],
    {
      cwd: REPO_ROOT,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = LISTENING.exec(output);
      if (found) resolve(found);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`mp serve exited with ${code} before listening:\n${output}`)),
    );
  });
  return {
    child,
    url: match[1]!,
    port: Number(match[2]),
    code: match[3] ?? '',
    token: serverToken(options.dataDir, environment.MP_TOKEN),
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

/** What `mp serve` does with MP_TOKEN and the token file (src/server/instance-token.ts). */
function serverToken(dataDir: string, fromEnvironment: string | undefined): string {
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') return fromEnvironment.trim();
  return readFileSync(join(dataDir, 'token'), 'utf8').trim();
}

/** Runs `mp ARGS` to completion (with `stdin` written to its standard input) and returns what it printed. */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(stdin ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}
