import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/core/config.ts';
import { legacyKeyPath, loadProviderEnvironment } from '../../src/providers/provider-environment.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';
import { collectTurn, instantRetry } from './support/collect-turn.ts';
import { toolCallStream } from './support/openai-script.ts';
import { startWireServer, type WireServer } from './support/wire-server.ts';

let server: WireServer | undefined;
let home: string | undefined;
afterEach(async () => {
  await server?.close();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

describe('ProviderRegistry', () => {
  it('uses the original app’s key file when OPENAI_API_KEY is unset, and never exposes the key', async () => {
    server = await startWireServer(() => toolCallStream());
    home = mkdtempSync(join(tmpdir(), 'mp-home-'));
    mkdirSync(join(home, '.config', 'ModelProgrammer'), { recursive: true });
    writeFileSync(legacyKeyPath(home), 'sk-legacy-file-key\n');
    const environment = loadProviderEnvironment({
      env: { OPENAI_BASE_URL: `${server.url}/v1` },
      homeDir: home,
    });
    const registry = new ProviderRegistry({ config: EMPTY_CONFIG, environment, retry: instantRetry() });

    const { finish } = await collectTurn(
      registry
        .get({ provider: 'openai' })
        .streamTurn({ model: 'gpt-4o', messages: [{ role: 'user', content: 'ls' }] }),
    );
    expect(finish.reason).toBe('tool-calls');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-legacy-file-key');
    expect(JSON.stringify(registry.list())).not.toContain('sk-legacy');
    expect(registry.list().find((entry) => entry.id === 'openai')).toMatchObject({
      hasKey: true,
      baseUrl: `${server.url}/v1`,
    });
  });

  it('prefers OPENAI_API_KEY over the file, and reports a missing Anthropic key as absent', () => {
    const registry = new ProviderRegistry({
      config: EMPTY_CONFIG,
      environment: { env: { OPENAI_API_KEY: 'sk-env' }, legacyOpenAIKey: 'sk-file' },
    });
    expect(registry.list().map((entry) => [entry.id, entry.hasKey])).toEqual([
      ['openai', true],
      ['anthropic', false],
      ['ollama', false],
      ['llama-cpp', false],
      ['human', false],
    ]);
  });

  it('builds configured OpenAI-compatible servers and ad-hoc ones by base URL, and names unknown ids', () => {
    const registry = new ProviderRegistry({
      config: {
        defaults: {},
        providers: { router: { type: 'openai-compatible', preset: 'openrouter' } },
      },
      environment: {
        env: { OPENROUTER_API_KEY: 'or-key', OLLAMA_HOST: '0.0.0.0:11434' },
        legacyOpenAIKey: null,
      },
    });
    expect(registry.get({ provider: 'router' }).baseUrl).toBe('https://openrouter.ai/api/v1');
    expect(registry.list().find((entry) => entry.id === 'router')?.hasKey).toBe(true);
    expect(registry.get({ provider: 'ollama' }).baseUrl).toBe('http://127.0.0.1:11434');
    const adHoc = registry.get({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(adHoc.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(registry.get({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' })).toBe(adHoc);
    expect(() => registry.get({ provider: 'openai-compatible' })).toThrow(/needs a baseUrl/);
    expect(() => registry.get({ provider: 'nope' })).toThrow(
      /no provider "nope"; configured providers: openai, anthropic/,
    );
  });
});
