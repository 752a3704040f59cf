/**
 * Builds the web UI into dist/web when it is missing or older than its sources, so `npm start` and `npm test`
 * on a fresh clone serve the current UI without a separate build step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const output = join(root, 'dist', 'web', 'index.html');
const sources = [
  join(root, 'web'),
  join(root, 'src', 'core'),
  join(root, 'vite.config.ts'),
  join(root, 'package-lock.json'),
];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestModification(join(path, entry)));
  }
  return newest;
}

const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newestModification));
if (!existsSync(join(root, 'web', 'index.html'))) {
  console.error('build-web-if-stale: web/index.html is missing; nothing to build');
} else if (builtAt < sourcesAt) {
  console.error('Building the web UI (dist/web)…');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
