/**
 * `mp` is started three ways (its shebang, `npm run mp`, `npm start`); each must give Node the same flags,
 * or the memory an export takes depends on how it was started (src/cli/main.ts says why the flags).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mpNodeFlags, REPO_ROOT } from './support/environment.ts';

const scripts = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('the flags mp runs with', () => {
  it('bound the young generation', () => {
    expect(mpNodeFlags()).toContain('--max-semi-space-size=16');
  });

  it.each(['mp', 'start'])('are the shebang’s in npm run %s', (name) => {
    const launch = /node ((?:--\S+ )*)src\/cli\/main\.ts/.exec(scripts[name]!);
    expect(launch, `${name} starts src/cli/main.ts with node`).not.toBeNull();
    expect(launch![1]!.trim().split(' ')).toEqual(mpNodeFlags());
  });
});
