import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Node flags `mp` runs with: those of its shebang line (src/cli/main.ts). */
export function mpNodeFlags(): string[] {
  const shebang = readFileSync(resolve(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8').split('\n', 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node (.*)$/.exec(shebang);
  if (match === null) throw new Error(`src/cli/main.ts does not start with a node shebang: ${shebang}`);
  return match[1]!.split(' ').filter((flag) => flag !== '');
}

/** `../shared/` beside the clone: fixtures CI always has and a developer may not. */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

export function sharedFixture(...parts: string[]): string {
  return resolve(SHARED_DIR, 'fixtures', ...parts);
}

/**
 * Whether a test may run: true when what it needs is here. When it is missing the test skips, saying why,
 * unless MP_REQUIRE_ALL=1 (CI), where a missing requirement fails the file instead of hiding a gap.
 */
export function requirement(what: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.MP_REQUIRE_ALL === '1') {
    throw new Error(`${what} is required (MP_REQUIRE_ALL=1) but not available on this machine`);
  }
  console.warn(`skipping: ${what} is not available`);
  return false;
}

export function hasExecutable(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function hasSharedFixture(...parts: string[]): boolean {
  return existsSync(sharedFixture(...parts));
}

export const CHROMIUM_PATH = process.env.MP_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Environment for a server a test starts: its own config dir and home (never the developer's config file or
 * the original app's key file), no API keys, and an Ollama address where nothing answers.
 */
export function isolatedEnvironment(dir: string): Record<string, string | undefined> {
  return {
    XDG_CONFIG_HOME: resolve(dir, 'config-home'),
    HOME: dir,
    OPENAI_API_KEY: undefined,
    ANTHROPIC_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
    ANTHROPIC_BASE_URL: undefined,
    OLLAMA_HOST: 'http://127.0.0.1:9',
    // A developer's own team server must not become the store of a test's `mp serve`.
    MP_DATABASE_URL: undefined,
  };
}
