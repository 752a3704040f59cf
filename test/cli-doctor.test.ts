import { describe, expect, it } from 'vitest';
import { runCli } from './support/spawn-server.ts';
import { makeTempDir } from './support/temp-dir.ts';

describe('mp doctor', () => {
  it('reports each provider, the first-run choice with its banner, and each sandbox backend', async () => {
    const dir = makeTempDir('mp-doctor-');
    try {
      const result = await runCli(['doctor', '--data-dir', dir.path], {
        HOME: dir.path,
        XDG_CONFIG_HOME: `${dir.path}/config`,
        OPENAI_API_KEY: undefined,
        ANTHROPIC_API_KEY: undefined,
        OLLAMA_HOST: 'http://127.0.0.1:9',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/✗ openai\s+OPENAI_API_KEY is not set/);
      expect(result.stdout).toMatch(/✗ ollama\s+could not reach ollama at http:\/\/127\.0\.0\.1:9/);
      expect(result.stdout).toMatch(/New conversations use: human/);
      expect(result.stdout).toMatch(/No model is connected/);
      expect(result.stdout).toMatch(/[✓✗] bwrap /);
      expect(result.stdout).toMatch(/[✓✗] docker /);
      expect(result.stdout).toMatch(/✓ host\s+no isolation/);
      expect(result.stdout).toMatch(/Resource limits \(defaults: 512 processes/);
      expect(result.stdout).toMatch(/processes: (cgroup v[12] pids controller|RLIMIT_NPROC|NOT enforced)/);
      expect(result.stdout).toMatch(/file size: RLIMIT_FSIZE/);
      expect(result.stdout).toMatch(/Database\s+none yet/);
    } finally {
      dir.remove();
    }
  });
});
