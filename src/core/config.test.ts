import { describe, expect, it } from 'vitest';
import { isKeyVariableName, parseConfig } from './config.ts';
import { chooseDefaultProvider } from './first-run-provider.ts';

describe('parseConfig', () => {
  it('reads providers and defaults', () => {
    const result = parseConfig(
      JSON.stringify({
        defaults: { provider: 'local-vllm', model: 'qwen', temperature: 0.3 },
        providers: {
          'local-vllm': { type: 'openai-compatible', preset: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' },
          openai: {
            type: 'openai',
            apiKeyEnv: 'WORK_OPENAI_KEY',
            models: { 'ft:gpt-4o:me': { contextWindow: 128000 } },
          },
        },
      }),
      'config.json',
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.providers['local-vllm']).toMatchObject({ preset: 'vllm' });
  });

  it('names the file and the field that is wrong', () => {
    const result = parseConfig(
      '{"providers":{"x":{"type":"openai-compatible","baseUrl":"not a url"}}}',
      '/c.json',
    );
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toMatch(/^\/c\.json has problems: providers\.x\.baseUrl/);
    expect(parseConfig('{', '/c.json')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not valid JSON'),
    });
  });
});

describe('apiKeyEnv', () => {
  it('names only variables meant for an API key', () => {
    for (const name of [
      'OPENAI_API_KEY',
      'MISTRAL_API_KEY',
      'WORK_ANTHROPIC_KEY',
      'HF_TOKEN',
      'GOOGLE_API_KEY',
    ])
      expect(isKeyVariableName(name), name).toBe(true);
    for (const name of [
      'HOME',
      'PATH',
      'DATABASE_URL',
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'NPM_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'MP_TOKEN',
      'CLIENT_SECRET_KEY',
      'SSH_PRIVATE_KEY',
      'openai_api_key',
      '_KEY',
    ])
      expect(isKeyVariableName(name), name).toBe(false);
  });

  it('is refused in the file with the field named', () => {
    const result = parseConfig('{"providers":{"x":{"type":"openai","apiKeyEnv":"HOME"}}}', '/c.json');
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('providers.x.apiKeyEnv') });
  });
});

describe('chooseDefaultProvider', () => {
  const none = {
    openaiKey: false,
    anthropicKey: false,
    ollama: { host: 'http://127.0.0.1:11434', answers: false, models: [] },
  };
  const empty = { defaults: {}, providers: {} };

  it('prefers OpenAI, then Anthropic, then Ollama, then human with a banner', () => {
    expect(chooseDefaultProvider({ ...none, openaiKey: true, anthropicKey: true }, empty).provider).toBe(
      'openai',
    );
    expect(chooseDefaultProvider({ ...none, anthropicKey: true }, empty).provider).toBe('anthropic');
    const ollama = chooseDefaultProvider(
      { ...none, ollama: { ...none.ollama, answers: true, models: ['qwen3:8b'] } },
      empty,
    );
    expect(ollama).toMatchObject({ provider: 'ollama', model: 'qwen3:8b', banner: null });
    const human = chooseDefaultProvider(none, empty);
    expect(human).toMatchObject({ provider: 'human', model: null });
    expect(human.banner).toContain('OPENAI_API_KEY');
    expect(human.banner).toContain('http://127.0.0.1:11434');
  });

  it('tells how to pull a model when Ollama answers with none', () => {
    const selection = chooseDefaultProvider(
      { ...none, ollama: { ...none.ollama, answers: true, models: [] } },
      empty,
    );
    expect(selection.banner).toContain('ollama pull');
  });

  it('lets the config file decide first', () => {
    const config = { defaults: { provider: 'ollama', model: 'llama3.2' }, providers: {} };
    expect(chooseDefaultProvider({ ...none, openaiKey: true }, config)).toMatchObject({
      provider: 'ollama',
      model: 'llama3.2',
    });
  });
});
