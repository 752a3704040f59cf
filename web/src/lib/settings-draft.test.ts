import { describe, expect, it } from 'vitest';
import { AppConfigSchema } from '../../../src/core/config.ts';
import type { Settings } from '../api/settings-api.ts';
import {
  checkDraft,
  configFromDraft,
  draftFromSettings,
  keyEnvMoved,
  keyVariable,
  newProviderDraft,
  placeServerError,
  savedKeyMoved,
} from './settings-draft.ts';

const SETTINGS: Settings = {
  path: '/home/me/.config/modelprogrammer/config.json',
  environmentKeys: { OPENAI_API_KEY: true },
  config: {
    defaults: { provider: 'local', model: 'qwen', temperature: 0.2 },
    providers: {
      local: {
        type: 'openai-compatible',
        preset: 'vllm',
        baseUrl: 'http://127.0.0.1:8000/v1',
        apiKeyBaseUrl: 'http://127.0.0.1:8000/v1',
        hasApiKey: true,
      },
      gguf: { type: 'llama-cpp', defaultModel: '/m.gguf', gpu: false, threads: 2, hasApiKey: false },
      'my.router': { type: 'openai-compatible', preset: 'openrouter', hasApiKey: false },
    },
  },
};

describe('the settings draft', () => {
  it('comes back to the same config, keeping fields the page does not edit and sending no key', () => {
    const config = configFromDraft(draftFromSettings(SETTINGS));
    expect(config).toEqual({
      defaults: { provider: 'local', model: 'qwen', temperature: 0.2 },
      providers: {
        local: { type: 'openai-compatible', preset: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' },
        gguf: { type: 'llama-cpp', defaultModel: '/m.gguf', gpu: false, threads: 2 },
        'my.router': { type: 'openai-compatible', preset: 'openrouter' },
      },
    });
    expect(AppConfigSchema.safeParse(config).success).toBe(true);
  });

  it('sends a key only when one was typed, and only the fields the type takes', () => {
    const draft = draftFromSettings(SETTINGS);
    const local = draft.providers[0]!;
    draft.providers[0] = { ...local, apiKey: ' sk-new ', host: 'http://ignored', defaultModel: '  ' };
    draft.defaults.temperature = '';
    draft.defaults.maxOutputTokens = '4096';
    const config = configFromDraft(draft);
    expect(config.providers.local).toEqual({
      type: 'openai-compatible',
      preset: 'vllm',
      baseUrl: 'http://127.0.0.1:8000/v1',
      apiKey: 'sk-new',
    });
    expect(config.defaults).toEqual({ provider: 'local', model: 'qwen', maxOutputTokens: 4096 });
  });

  it('names a saved key to remove only when asked and no new key was typed', () => {
    const draft = draftFromSettings(SETTINGS);
    draft.providers[0] = { ...draft.providers[0]!, removeKey: true };
    expect(configFromDraft(draft).removeApiKeys).toEqual(['local']);
    draft.providers[0] = { ...draft.providers[0]!, apiKey: 'sk-replacement' };
    expect(configFromDraft(draft).removeApiKeys).toBeUndefined();
    draft.providers[1] = { ...draft.providers[1]!, removeKey: true };
    expect(configFromDraft(draft).removeApiKeys).toBeUndefined();
  });

  it('gives a new provider an id nobody has', () => {
    expect(newProviderDraft('openai-compatible', ['local', 'local-2']).id).toBe('local-3');
    expect(newProviderDraft('ollama', []).id).toBe('ollama');
  });

  it('refuses empty, malformed and repeated ids and numbers that are not numbers', () => {
    const draft = draftFromSettings(SETTINGS);
    const [local, gguf, router] = draft.providers;
    draft.providers = [
      { ...local!, id: 'Local Box' },
      { ...gguf!, id: '' },
      { ...router!, id: 'same' },
    ];
    draft.providers.push({ ...router!, key: 'other', id: 'same' });
    draft.defaults.temperature = 'warm';
    draft.defaults.maxOutputTokens = '1.5';
    expect(checkDraft(draft).map((error) => error.field)).toEqual([
      `providers.${local!.key}.id`,
      `providers.${gguf!.key}.id`,
      'providers.other.id',
      'defaults.temperature',
      'defaults.maxOutputTokens',
    ]);
  });

  it('places a server error on the field it names, by the provider’s draft key', () => {
    const draft = draftFromSettings(SETTINGS);
    const router = draft.providers[2]!;
    expect(
      placeServerError(draft, {
        field: 'providers.my.router.baseUrl',
        message: 'providers.my.router.baseUrl: Invalid URL',
      }),
    ).toEqual({ field: `providers.${router.key}.baseUrl`, message: 'Invalid URL' });
    // A path the page has no field for lands on the provider's card, with the whole message.
    expect(
      placeServerError(draft, {
        field: 'providers.my.router.models.x.contextWindow',
        message: 'providers.my.router.models.x.contextWindow: Too small',
      }),
    ).toEqual({
      field: `providers.${router.key}`,
      message: 'providers.my.router.models.x.contextWindow: Too small',
    });
    expect(
      placeServerError(draft, { field: 'defaults.temperature', message: 'defaults.temperature: Too big' }),
    ).toEqual({ field: 'defaults.temperature', message: 'Too big' });
    expect(placeServerError(draft, { field: 'providers.localhost.baseUrl', message: 'x' }).field).toBe('');
  });

  it('names the variable a key is read from as the server does', () => {
    const [local, gguf, router] = draftFromSettings(SETTINGS).providers;
    expect(keyVariable(local!)).toBe('VLLM_API_KEY');
    expect(keyVariable({ ...local!, apiKeyEnv: 'WORK_KEY' })).toBe('WORK_KEY');
    expect(keyVariable({ ...local!, preset: 'lm-studio' })).toBeNull();
    expect(keyVariable(gguf!)).toBeNull();
    expect(keyVariable(router!)).toBe('OPENROUTER_API_KEY');
  });
});

describe('a saved key and a moved base URL', () => {
  it('asks for the key again when the base URL moves away from where the key was given for', () => {
    const draft = draftFromSettings(SETTINGS);
    const local = draft.providers[0]!;
    expect(savedKeyMoved(local)).toBe(false);
    draft.providers[0] = { ...local, baseUrl: 'http://127.0.0.1:8000/v1/' };
    expect(checkDraft(draft)).toEqual([]);
    draft.providers[0] = { ...local, baseUrl: 'https://elsewhere.example/v1' };
    expect(checkDraft(draft)).toEqual([
      { field: `providers.${local.key}.apiKey`, message: expect.stringContaining('type it again') },
    ]);
    expect(configFromDraft(draft).providers.local).not.toHaveProperty('apiKeyBaseUrl');
    draft.providers[0] = { ...local, baseUrl: 'https://elsewhere.example/v1', apiKey: 'sk-new' };
    expect(checkDraft(draft)).toEqual([]);
    draft.providers[0] = { ...local, baseUrl: 'https://elsewhere.example/v1', removeKey: true };
    expect(checkDraft(draft)).toEqual([]);
  });

  it('lets a named key variable follow a new base URL only when the person ticks it', () => {
    const settings: Settings = {
      ...SETTINGS,
      config: {
        defaults: {},
        providers: {
          work: {
            type: 'openai',
            apiKeyEnv: 'WORK_API_KEY',
            apiKeyBaseUrl: 'https://api.openai.com/v1',
            hasApiKey: false,
          },
        },
      },
    };
    const draft = draftFromSettings(settings);
    const work = draft.providers[0]!;
    draft.providers[0] = { ...work, baseUrl: 'https://proxy.example/v1' };
    expect(keyEnvMoved(draft.providers[0])).toBe(true);
    expect(configFromDraft(draft)).not.toHaveProperty('rebindApiKeyEnv');
    draft.providers[0] = { ...work, baseUrl: 'https://proxy.example/v1', rebindKeyEnv: true };
    expect(configFromDraft(draft).rebindApiKeyEnv).toEqual(['work']);
  });
});
