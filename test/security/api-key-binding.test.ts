/**
 * Threat: an API key sent somewhere it was not given for. A base URL changed after a key was saved (through the
 * Settings API, by hand, or by the environment) must not carry the key along, and `apiKeyEnv` must not turn any
 * variable of the server's environment (GITHUB_TOKEN, DATABASE_URL, our own MP_TOKEN) into a "key" sent to an
 * address of the config's choosing. Two real servers on 127.0.0.1 record every request that reaches them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorSchema } from '../../src/core/api/schemas.ts';
import { startOpenAiCompatibleServer, textStream } from '../providers/support/openai-script.ts';
import type { WireServer } from '../providers/support/wire-server.ts';
import { turnInNewConversation } from '../support/model-turn.ts';
import { expectJson, startTestApp, type TestApp } from '../support/test-app.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function chatServer(answer: string): Promise<WireServer> {
  const server = await startOpenAiCompatibleServer(() => textStream(answer));
  cleanups.push(() => server.close());
  return server;
}

async function app(options: { env?: Record<string, string>; config?: unknown } = {}): Promise<TestApp> {
  const t = await startTestApp({
    env: { OLLAMA_HOST: 'http://127.0.0.1:9', ...options.env },
    config: options.config,
  });
  cleanups.push(() => t.close());
  return t;
}

/** Runs one model turn with the config's default provider; the answer's text, or the call's error. */
async function turn(t: TestApp): Promise<{ content: string; error: string | null }> {
  const { answer, call } = await turnInNewConversation(t, 'hi');
  return { content: answer.content, error: (JSON.parse(call) as { error: string | null }).error };
}

const authorizations = (server: WireServer) =>
  server.requests.map((request) => request.headers.authorization);

function compatible(baseUrl: string, extra: Record<string, unknown> = {}) {
  return {
    defaults: { provider: 'local', model: 'm' },
    providers: { local: { type: 'openai-compatible', baseUrl: `${baseUrl}/v1`, ...extra } },
  };
}

describe('a saved API key', () => {
  it('is not carried to a new base URL by a save without a new key: the save asks for the key again', async () => {
    const home = await chatServer('from home');
    const elsewhere = await chatServer('from elsewhere');
    const t = await app();
    expect((await t.api('PUT', '/api/settings', compatible(home.url, { apiKey: 'sk-home' }))).status).toBe(
      200,
    );

    const moved = await expectJson(
      await t.api('PUT', '/api/settings', compatible(elsewhere.url)),
      ErrorSchema,
      400,
    );
    expect(moved.error.field).toBe('providers.local.apiKey');
    expect(moved.error.message).toMatch(/type it again/);
    // A binding the browser writes itself is not believed.
    const forged = await t.api(
      'PUT',
      '/api/settings',
      compatible(elsewhere.url, { apiKeyBaseUrl: `${elsewhere.url}/v1` }),
    );
    expect(forged.status).toBe(400);
    const file = JSON.parse(readFileSync(join(t.dataDir, 'config', 'config.json'), 'utf8'));
    expect(file.providers.local).toMatchObject({
      baseUrl: `${home.url}/v1`,
      apiKeyBaseUrl: `${home.url}/v1`,
    });

    expect(await turn(t)).toMatchObject({ content: 'from home', error: null });
    // A new key for the new address is what moves it.
    expect(
      (await t.api('PUT', '/api/settings', compatible(elsewhere.url, { apiKey: 'sk-new' }))).status,
    ).toBe(200);
    expect(await turn(t)).toMatchObject({ content: 'from elsewhere', error: null });

    expect(authorizations(home)).toContain('Bearer sk-home');
    expect(authorizations(elsewhere)).toContain('Bearer sk-new');
    expect(authorizations(elsewhere)).not.toContain('Bearer sk-home');
  });

  it('is not used when the file points the provider somewhere else than the key was saved for', async () => {
    const home = await chatServer('from home');
    const elsewhere = await chatServer('from elsewhere');
    const t = await app({
      config: compatible(elsewhere.url, { apiKey: 'sk-home', apiKeyBaseUrl: `${home.url}/v1` }),
    });
    const result = await turn(t);
    expect(result.error).toMatch(
      /was given for http:\/\/127\.0\.0\.1:\d+\/v1.*type the key again in Settings/,
    );
    expect(elsewhere.requests).toEqual([]);
    expect(home.requests).toEqual([]);
  });
});

describe('a key from the environment', () => {
  it('goes only to the address the environment gives it, unless the person names it for another', async () => {
    const openaiLike = await chatServer('from the env’s own URL');
    const elsewhere = await chatServer('from elsewhere');
    const env = { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: `${openaiLike.url}/v1` };
    const config = (extra: Record<string, unknown> = {}) => ({
      defaults: { provider: 'openai', model: 'gpt-4o' },
      providers: { openai: { type: 'openai', ...extra } },
    });

    const pointed = await app({ env, config: config({ baseUrl: `${elsewhere.url}/v1` }) });
    const refused = await turn(pointed);
    expect(refused.error).toMatch(/OPENAI_API_KEY is meant for .*so it is not sent there/);
    expect(elsewhere.requests).toEqual([]);

    const plain = await app({ env, config: config() });
    expect(await turn(plain)).toMatchObject({ content: 'from the env’s own URL', error: null });
    expect(authorizations(openaiLike)).toEqual(['Bearer sk-env']);

    // Naming the variable for the new address (a Settings save) is the person's consent to send it there.
    expect(
      (
        await plain.api(
          'PUT',
          '/api/settings',
          config({ baseUrl: `${elsewhere.url}/v1`, apiKeyEnv: 'OPENAI_API_KEY' }),
        )
      ).status,
    ).toBe(200);
    expect(await turn(plain)).toMatchObject({ content: 'from elsewhere', error: null });
    expect(authorizations(elsewhere)).toEqual(['Bearer sk-env']);
  });

  it('named in apiKeyEnv follows a new base URL only when the save confirms it', async () => {
    const home = await chatServer('from home');
    const elsewhere = await chatServer('from elsewhere');
    const t = await app({ env: { WORK_API_KEY: 'sk-work' } });
    const named = (url: string) => compatible(url, { apiKeyEnv: 'WORK_API_KEY' });
    expect((await t.api('PUT', '/api/settings', named(home.url))).status).toBe(200);
    const moved = await expectJson(
      await t.api('PUT', '/api/settings', named(elsewhere.url)),
      ErrorSchema,
      400,
    );
    expect(moved.error.field).toBe('providers.local.apiKeyEnv');
    expect(await turn(t)).toMatchObject({ content: 'from home', error: null });
    expect(
      (await t.api('PUT', '/api/settings', { ...named(elsewhere.url), rebindApiKeyEnv: ['local'] })).status,
    ).toBe(200);
    expect(await turn(t)).toMatchObject({ content: 'from elsewhere', error: null });
    expect(
      authorizations(home)
        .filter(Boolean)
        .every((value) => value === 'Bearer sk-work'),
    ).toBe(true);
    expect(authorizations(elsewhere)).toContain('Bearer sk-work');
  });

  it('cannot be any variable of the machine: apiKeyEnv names only variables meant for keys', async () => {
    const elsewhere = await chatServer('from elsewhere');
    const secrets = {
      GITHUB_TOKEN: 'ghp-secret',
      DATABASE_URL: 'postgres://user:pw@db/x',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      MP_TOKEN: 'our-own-token',
      HOME: '/root',
    };
    const t = await app({ env: secrets });
    for (const variable of Object.keys(secrets)) {
      const refused = await expectJson(
        await t.api('PUT', '/api/settings', compatible(elsewhere.url, { apiKeyEnv: variable })),
        ErrorSchema,
        400,
      );
      expect(refused.error.field, variable).toBe('providers.local.apiKeyEnv');
    }
    // Nor by hand: a file naming one does not load.
    await expect(
      startTestApp({ env: secrets, config: compatible(elsewhere.url, { apiKeyEnv: 'GITHUB_TOKEN' }) }),
    ).rejects.toThrow(/providers\.local\.apiKeyEnv/);
    expect(elsewhere.requests).toEqual([]);
  });
});
