import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderListSchema } from '../src/core/api/model-schemas.ts';
import { ErrorSchema } from '../src/core/api/schemas.ts';
import { SettingsSchema } from '../src/core/api/settings-schemas.ts';
import { startOpenAiCompatibleServer, textStream } from './providers/support/openai-script.ts';
import { turnInNewConversation } from './support/model-turn.ts';
import { expectJson, startTestApp, type TestApp } from './support/test-app.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the Settings API', () => {
  it('saves providers and defaults to the config file, never sending a key to the browser, and uses them at once', async () => {
    const server = await startOpenAiCompatibleServer(() => textStream('configured answer'));
    cleanups.push(() => server.close());
    const t: TestApp = await startTestApp({
      env: { OPENAI_API_KEY: 'sk-from-env', OLLAMA_HOST: 'http://127.0.0.1:9' },
    });
    cleanups.push(() => t.close());

    const empty = await expectJson(await t.api('GET', '/api/settings'), SettingsSchema);
    expect(empty.config.providers).toEqual({});
    expect(empty.environmentKeys).toMatchObject({ OPENAI_API_KEY: true, ANTHROPIC_API_KEY: false });

    const config = {
      defaults: { provider: 'local', model: 'scripted' },
      providers: {
        local: { type: 'openai-compatible', baseUrl: `${server.url}/v1`, apiKey: 'sk-very-secret' },
      },
    };
    const saved = await t.api('PUT', '/api/settings', config);
    const savedText = await saved.text();
    expect(saved.status, savedText).toBe(200);
    expect(savedText).not.toContain('sk-very-secret');
    expect(SettingsSchema.parse(JSON.parse(savedText)).config.providers.local).toMatchObject({
      type: 'openai-compatible',
      hasApiKey: true,
    });

    const file = join(t.dataDir, 'config', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).providers.local.apiKey).toBe('sk-very-secret');

    // Saving again without the key keeps it.
    await t.api('PUT', '/api/settings', {
      ...config,
      providers: { local: { type: 'openai-compatible', baseUrl: `${server.url}/v1` } },
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).providers.local.apiKey).toBe('sk-very-secret');

    // And removing it deletes it from the file.
    const without = await expectJson(
      await t.api('PUT', '/api/settings', {
        ...config,
        providers: { local: { type: 'openai-compatible', baseUrl: `${server.url}/v1` } },
        removeApiKeys: ['local'],
      }),
      SettingsSchema,
    );
    expect(without.config.providers.local).toMatchObject({ hasApiKey: false });
    expect(JSON.parse(readFileSync(file, 'utf8')).providers.local.apiKey).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8')).removeApiKeys).toBeUndefined();
    await t.api('PUT', '/api/settings', config);

    const providers = await expectJson(await t.api('GET', '/api/providers'), ProviderListSchema);
    expect(providers.defaults).toEqual({ provider: 'local', model: 'scripted' });
    expect(providers.providers.find((p) => p.id === 'local')).toMatchObject({
      available: true,
      models: [{ id: 'scripted' }],
    });
    expect(JSON.stringify(providers)).not.toContain('sk-');

    const { answer, call } = await turnInNewConversation(t, 'hi');
    expect(answer.content).toBe('configured answer');
    const chat = server.requests.find((request) => request.path.endsWith('/chat/completions'))!;
    expect(chat.headers.authorization).toBe('Bearer sk-very-secret');
    expect(call).not.toContain('sk-very-secret');
  });

  it('refuses a config that does not fit the schema, naming the field, and keeps the old one', async () => {
    const t = await startTestApp();
    cleanups.push(() => t.close());
    const refused = await expectJson(
      await t.api('PUT', '/api/settings', {
        defaults: {},
        providers: { bad: { type: 'openai', baseUrl: 'not a url' } },
      }),
      ErrorSchema,
      400,
    );
    expect(refused.error.field).toBe('providers.bad.baseUrl');
    expect((await expectJson(await t.api('GET', '/api/settings'), SettingsSchema)).config.providers).toEqual(
      {},
    );
  });
});
