/**
 * Browser tests drive the real thing: `mp serve` as a child process on a free port with its own data dir, and
 * Debian's headless Chromium through playwright-core (npm cannot download browsers here).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { mintSignInCode } from '../../src/server/sign-in-code.ts';
import { CHROMIUM_PATH, isolatedEnvironment, REPO_ROOT } from './environment.ts';

export interface RunningServer {
  /** The URL `mp serve` printed: its `#code=` signs one page in, once, within 60 s. */
  signInUrl: string;
  origin: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

const LISTENING = /ModelProgrammer listening on (http:\/\/\S+)/;
/** Generous for two busy cores; only reached when the server fails to start. */
const START_LIMIT_MS = 20_000;

/** The UI the server will serve must be built from the current sources, or the test checks an old UI. */
export function assertWebBuildCurrent(): void {
  const built = join(REPO_ROOT, 'dist', 'web', 'index.html');
  const newestSource = newestModification(join(REPO_ROOT, 'web'));
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource) {
    throw new Error(
      'dist/web is missing or older than web/: run `npm run build` (`npm test` does it for you)',
    );
  }
}

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestModification(join(path, entry)));
  return newest;
}

/** `port` and `dataDir` let a test restart the same instance (same origin, same token file). */
export async function startServer(options: { dataDir?: string; port?: number } = {}): Promise<RunningServer> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mp-e2e-'));
  const environment = { ...process.env };
  delete environment.MP_TOKEN;
  delete environment.MP_PORT;
  delete environment.MP_DATA_DIR;
  Object.assign(environment, isolatedEnvironment(dataDir));
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'src', 'cli', 'main.ts'),
      'serve',
      '--no-open',
      '--port',
      String(options.port ?? 0),
      '--data-dir',
      dataDir,
    ],
    { cwd: REPO_ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mp serve printed no listening line within ${START_LIMIT_MS} ms\n${stderr}`));
    }, START_LIMIT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = LISTENING.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match[1]!);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mp serve exited (${signal ?? code}) before listening\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    signInUrl: url,
    origin: parsed.origin,
    // The printed line has no token (issue 7 item 2); the test reads it where `mp url` does.
    token: readFileSync(join(dataDir, 'token'), 'utf8').trim(),
    dataDir,
    stop: async () => {
      await stopProcess(child);
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}

/** How long one browser step (a click, a wait for an element) may take on two busy cores. */
export const STEP_LIMIT_MS = 8_000;

/** `expect.poll` with the browser step limit (its own default, 1 s, is too short on a loaded machine). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: STEP_LIMIT_MS });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests, including CSP violations: a test can assert there were none. */
  problems: string[];
}

/**
 * A fresh browser context signed in as a person would be: through a sign-in link (`#code=`), minted from the
 * token as `mp url` does, since each code works once and a test opens several contexts.
 */
export async function openSignedIn(
  browser: Browser,
  server: RunningServer,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  // Fail at the step that went wrong, well before vitest's 30 s limit hides which one it was.
  context.setDefaultTimeout(STEP_LIMIT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${server.origin}/#code=${mintSignInCode(server.token)}`);
  // Signed in once the page has traded the code for the token (web/src/api/session-token.ts keeps it there).
  await page.waitForFunction(() => sessionStorage.getItem('mp.token') !== null);
  return { context, page, problems };
}
