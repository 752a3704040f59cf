/**
 * The Settings page's form state and its way back to a config. Every field is text while the person types;
 * the server's schema (src/core/config.ts) stays the judge of what is valid, so this file only checks what the
 * server cannot name well: provider ids and numbers that are not numbers.
 */

import type { UpdateSettings } from '../../../src/core/api/settings-schemas.ts';
import {
  type AppConfig,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type ProviderEntry,
  type ProviderType,
} from '../../../src/core/config.ts';
import type { RedactedProvider, Settings } from '../api/settings-api.ts';

export type EditableField = 'baseUrl' | 'host' | 'preset' | 'defaultModel' | 'apiKey' | 'apiKeyEnv';

/** Which fields each provider type takes (its strict schema refuses any other). */
export const FIELDS_BY_TYPE: Record<ProviderType, readonly EditableField[]> = {
  openai: ['baseUrl', 'apiKey', 'apiKeyEnv', 'defaultModel'],
  anthropic: ['baseUrl', 'apiKey', 'apiKeyEnv', 'defaultModel'],
  'openai-compatible': ['preset', 'baseUrl', 'apiKey', 'apiKeyEnv', 'defaultModel'],
  ollama: ['host', 'defaultModel'],
  'llama-cpp': ['defaultModel'],
  human: [],
};

export interface ProviderDraft {
  /** Stable while the id is typed, for React keys and focus. */
  key: string;
  /** The id the file holds it under; null until saved. Renaming a saved provider would drop its key. */
  savedId: string | null;
  id: string;
  type: ProviderType;
  preset: OpenAICompatiblePreset | '';
  baseUrl: string;
  host: string;
  defaultModel: string;
  apiKeyEnv: string;
  /** A key the person typed; empty keeps the saved one. Never filled from the server, which never sends one. */
  apiKey: string;
  hasApiKey: boolean;
  /** Delete the key the file holds (a typed new key replaces it anyway). */
  removeKey: boolean;
  /** The address the saved key or named variable was given for (`apiKeyBaseUrl`); it goes nowhere else. */
  keyBaseUrl: string;
  /** Base URL, preset and key variable as loaded, to tell when the address moved away from the key. */
  saved: { baseUrl: string; preset: string; apiKeyEnv: string };
  /** Let the named key variable follow a new base URL (sent as `rebindApiKeyEnv`). */
  rebindKeyEnv: boolean;
  /** Fields this page does not edit (`models`, `gpu`, `contextSize`, `threads`), sent back as they came. */
  rest: Record<string, unknown>;
}

export interface DefaultsDraft {
  provider: string;
  model: string;
  temperature: string;
  maxOutputTokens: string;
}

export interface SettingsDraft {
  providers: ProviderDraft[];
  defaults: DefaultsDraft;
}

/** A problem the page shows next to a field; `field` is a config path such as `providers.local.baseUrl`. */
export interface FieldError {
  field: string;
  message: string;
}

const EDITED = new Set<string>([
  'type',
  'hasApiKey',
  'preset',
  'baseUrl',
  'host',
  'defaultModel',
  'apiKeyEnv',
  'apiKeyBaseUrl',
]);
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

let nextKey = 0;
const newKey = () => `provider-${++nextKey}`;

export function draftFromSettings(settings: Settings): SettingsDraft {
  const { defaults, providers } = settings.config;
  return {
    providers: Object.entries(providers).map(([id, entry]) => providerDraft(id, entry)),
    defaults: {
      provider: defaults.provider ?? '',
      model: defaults.model ?? '',
      temperature: defaults.temperature?.toString() ?? '',
      maxOutputTokens: defaults.maxOutputTokens?.toString() ?? '',
    },
  };
}

function providerDraft(id: string, entry: RedactedProvider): ProviderDraft {
  const text = (name: string) => (typeof entry[name] === 'string' ? (entry[name] as string) : '');
  const preset = text('preset');
  return {
    key: newKey(),
    savedId: id,
    id,
    type: entry.type as ProviderType,
    preset: (OPENAI_COMPATIBLE_PRESETS as readonly string[]).includes(preset)
      ? (preset as OpenAICompatiblePreset)
      : '',
    baseUrl: text('baseUrl'),
    host: text('host'),
    defaultModel: text('defaultModel'),
    apiKeyEnv: text('apiKeyEnv'),
    apiKey: '',
    hasApiKey: entry.hasApiKey,
    removeKey: false,
    keyBaseUrl: text('apiKeyBaseUrl'),
    saved: { baseUrl: text('baseUrl'), preset, apiKeyEnv: text('apiKeyEnv') },
    rebindKeyEnv: false,
    rest: Object.fromEntries(Object.entries(entry).filter(([name]) => !EDITED.has(name))),
  };
}

/** A new, unsaved provider with an id nobody has yet (`vllm`, `vllm-2`, …). */
export function newProviderDraft(type: ProviderType, taken: readonly string[]): ProviderDraft {
  const base = type === 'openai-compatible' ? 'local' : type;
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return {
    key: newKey(),
    savedId: null,
    id,
    type,
    preset: '',
    baseUrl: '',
    host: '',
    defaultModel: '',
    apiKeyEnv: '',
    apiKey: '',
    hasApiKey: false,
    removeKey: false,
    keyBaseUrl: '',
    saved: { baseUrl: '', preset: '', apiKeyEnv: '' },
    rebindKeyEnv: false,
    rest: {},
  };
}

/**
 * The config to PUT: only the fields the type takes, empty ones left out, a key only when one was typed, and
 * the providers whose saved key is to go.
 */
export function configFromDraft(draft: SettingsDraft): UpdateSettings {
  const providers: AppConfig['providers'] = {};
  for (const provider of draft.providers) providers[provider.id.trim()] = entryFromDraft(provider);
  const removeApiKeys = draft.providers
    .filter((provider) => provider.removeKey && provider.hasApiKey && provider.apiKey.trim() === '')
    .map((provider) => provider.id.trim());
  const rebindApiKeyEnv = draft.providers
    .filter((provider) => provider.rebindKeyEnv && keyEnvMoved(provider))
    .map((provider) => provider.id.trim());
  const { defaults } = draft;
  const temperature = defaults.temperature.trim();
  const maxOutputTokens = defaults.maxOutputTokens.trim();
  return {
    defaults: {
      ...(defaults.provider === '' ? {} : { provider: defaults.provider }),
      ...(defaults.model.trim() === '' ? {} : { model: defaults.model.trim() }),
      ...(temperature === '' ? {} : { temperature: Number(temperature) }),
      ...(maxOutputTokens === '' ? {} : { maxOutputTokens: Number(maxOutputTokens) }),
    },
    providers,
    ...(removeApiKeys.length === 0 ? {} : { removeApiKeys }),
    ...(rebindApiKeyEnv.length === 0 ? {} : { rebindApiKeyEnv }),
  };
}

function entryFromDraft(provider: ProviderDraft): ProviderEntry {
  const entry: Record<string, unknown> = { ...provider.rest, type: provider.type };
  for (const field of FIELDS_BY_TYPE[provider.type]) {
    const value = provider[field].trim();
    if (value !== '') entry[field] = value;
  }
  // The entry is checked by the server's schema; a wrong field comes back as a 400 that names it.
  return entry as ProviderEntry;
}

/** What to fix before asking the server: ids (a bad one would come back as a record key) and non-numbers. */
export function checkDraft(draft: SettingsDraft): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const provider of draft.providers) {
    const id = provider.id.trim();
    const field = `providers.${provider.key}.id`;
    if (id === '') errors.push({ field, message: 'Give the provider an id, such as “local” or “vllm”.' });
    else if (!ID_PATTERN.test(id))
      errors.push({
        field,
        message: 'Use lowercase letters, digits, “.”, “_” or “-”, starting with a letter or digit.',
      });
    else if (seen.has(id)) errors.push({ field, message: `Another provider already has the id “${id}”.` });
    seen.add(id);
    if (savedKeyMoved(provider)) {
      errors.push({
        field: `providers.${provider.key}.apiKey`,
        message: `The saved key was given for ${provider.keyBaseUrl || 'the old address'}: type it again to send it to the new address, or remove it.`,
      });
    }
  }
  const { temperature, maxOutputTokens } = draft.defaults;
  if (temperature.trim() !== '' && !Number.isFinite(Number(temperature)))
    errors.push({ field: 'defaults.temperature', message: 'Temperature is a number from 0 to 2.' });
  if (maxOutputTokens.trim() !== '' && !Number.isInteger(Number(maxOutputTokens)))
    errors.push({ field: 'defaults.maxOutputTokens', message: 'Max output tokens is a whole number.' });
  return errors;
}

/**
 * Where a server error belongs on the page. The server names config paths by provider id
 * (`providers.local.baseUrl`), the page's fields by draft key (`providers.<key>.baseUrl`), so a saved and a new
 * provider are addressed the same way. A path this page has no field for lands on the provider, else the form.
 */
export function placeServerError(draft: SettingsDraft, error: FieldError): FieldError {
  const message = error.message.startsWith(`${error.field}: `)
    ? error.message.slice(error.field.length + 2)
    : error.message;
  if (error.field.startsWith('defaults.')) return { field: error.field, message };
  // Ids may contain dots, so match the longest id the path starts with.
  const provider = draft.providers
    .filter((candidate) => {
      const path = `providers.${candidate.id.trim()}`;
      return error.field === path || error.field.startsWith(`${path}.`);
    })
    .sort((a, b) => b.id.length - a.id.length)[0];
  if (provider === undefined) return { field: '', message: error.message };
  const inner = error.field.slice(`providers.${provider.id.trim()}`.length).replace(/^\./, '');
  const known = (FIELDS_BY_TYPE[provider.type] as readonly string[]).includes(inner);
  return known
    ? { field: `providers.${provider.key}.${inner}`, message }
    : { field: `providers.${provider.key}`, message: error.message };
}

/** The variable a provider's key is read from when the file holds none, as the server's registry reads it. */
export function keyVariable(provider: ProviderDraft): string | null {
  const named = provider.apiKeyEnv.trim();
  if (named !== '') return named;
  if (provider.type === 'openai') return 'OPENAI_API_KEY';
  if (provider.type === 'anthropic') return 'ANTHROPIC_API_KEY';
  if (provider.type !== 'openai-compatible') return null;
  return PRESET_KEY_VARIABLES[provider.preset] ?? null;
}

const PRESET_KEY_VARIABLES: Partial<Record<OpenAICompatiblePreset | '', string>> = {
  openrouter: 'OPENROUTER_API_KEY',
  vllm: 'VLLM_API_KEY',
  'llama.cpp': 'LLAMA_API_KEY',
};

/**
 * Whether the base URL or preset moved away from where the saved key or named variable was given for. Only the
 * server knows the environment's defaults, so an emptied field counts as a move; the server has the last word.
 */
export function addressMoved(provider: ProviderDraft): boolean {
  if (provider.savedId === null) return false;
  const baseUrl = provider.baseUrl.trim();
  if (baseUrl === provider.saved.baseUrl && provider.preset === provider.saved.preset) return false;
  // An address that is no URL is the server's to refuse, next to its own field.
  if (baseUrl !== '' && !URL.canParse(baseUrl)) return false;
  return (
    baseUrl === '' || provider.keyBaseUrl === '' || trimSlashes(baseUrl) !== trimSlashes(provider.keyBaseUrl)
  );
}

/** A saved key the page would send to a new address without the person typing it again. */
export function savedKeyMoved(provider: ProviderDraft): boolean {
  return provider.hasApiKey && !provider.removeKey && provider.apiKey.trim() === '' && addressMoved(provider);
}

/** A named key variable, unchanged, whose provider points somewhere new: it follows only when confirmed. */
export function keyEnvMoved(provider: ProviderDraft): boolean {
  const variable = provider.apiKeyEnv.trim();
  return variable !== '' && variable === provider.saved.apiKeyEnv && addressMoved(provider);
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '').toLowerCase();
}
