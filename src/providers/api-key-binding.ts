/**
 * A key goes only to the base URL it was given for (DESIGN.md, security model; issue 7 item 7).
 *
 * - A key written in the config file, or a variable the file names in `apiKeyEnv`, is bound to the entry's
 *   `apiKeyBaseUrl` (the Settings page writes it beside the key); a hand-written entry without one is bound to
 *   its own base URL, since the person wrote both in one place.
 * - A variable the person did not name (`OPENAI_API_KEY` for `openai`, the presets' variables) is bound to the
 *   address the environment itself gives for it: the service's own URL, or `OPENAI_BASE_URL` /
 *   `ANTHROPIC_BASE_URL` from the same environment.
 *
 * A key whose binding differs from where the provider now points is not sent; for a key the person set, the
 * provider answers with `refusal` instead of calling anyone.
 */
import type { ProviderEntry } from '../core/config.ts';
import { ANTHROPIC_DEFAULT_BASE_URL } from './anthropic.ts';
import { ollamaBaseUrl } from './ollama-host.ts';
import { OPENAI_DEFAULT_BASE_URL } from './openai.ts';
import { PRESETS } from './openai-compatible-presets.ts';

type KeyedEntry = Extract<ProviderEntry, { type: 'openai' | 'anthropic' | 'openai-compatible' }>;
type Env = Record<string, string | undefined>;

export interface ResolvedKey {
  apiKey: string | null;
  /** The variable named in messages about a missing or refused key. */
  keyVariable: string | null;
  /** Why a key the person set is withheld, as the provider's error says it; null when nothing is withheld. */
  refusal: string | null;
}

/**
 * One spelling per address: scheme and host lowercased (as URL parsing does), no trailing slash.
 *
 * @example normalizeBaseUrl('HTTPS://API.openai.com/v1/') // 'https://api.openai.com/v1'
 */
export function normalizeBaseUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
}

export function sameBaseUrl(left: string, right: string): boolean {
  return normalizeBaseUrl(left) === normalizeBaseUrl(right);
}

/** Where an entry's requests go, as the registry builds its provider; null for a keyless type or no address. */
export function entryBaseUrl(entry: ProviderEntry, env: Env): string | null {
  switch (entry.type) {
    case 'openai':
      return normalizeBaseUrl(entry.baseUrl ?? nonEmpty(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL);
    case 'anthropic':
      return normalizeBaseUrl(
        entry.baseUrl ?? nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL,
      );
    case 'openai-compatible': {
      if (entry.baseUrl !== undefined) return normalizeBaseUrl(entry.baseUrl);
      if (entry.preset === 'ollama') return normalizeBaseUrl(`${ollamaBaseUrl(env.OLLAMA_HOST)}/v1`);
      return entry.preset === undefined ? null : normalizeBaseUrl(PRESETS[entry.preset].baseUrl);
    }
    default:
      return null;
  }
}

/** The variable read when the entry names none, and the address the environment gives it. */
function implicitKey(entry: KeyedEntry, env: Env): { variable: string; boundTo: string } | null {
  if (entry.type === 'openai') {
    const boundTo = nonEmpty(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL;
    return { variable: 'OPENAI_API_KEY', boundTo };
  }
  if (entry.type === 'anthropic') {
    const boundTo = nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL;
    return { variable: 'ANTHROPIC_API_KEY', boundTo };
  }
  const preset = entry.preset === undefined ? null : PRESETS[entry.preset];
  if (preset === null || preset.keyVariable === null) return null;
  return { variable: preset.keyVariable, boundTo: preset.baseUrl };
}

/**
 * The key a provider may send to where it points, and the message when a key the person set may not go there.
 *
 * @example resolveApiKey({ id: 'openai', entry: { type: 'openai', baseUrl: 'https://proxy.example/v1' }, env: { OPENAI_API_KEY: 'sk-…' }, legacyOpenAIKey: null })
 * // { apiKey: null, keyVariable: 'OPENAI_API_KEY', refusal: 'OPENAI_API_KEY is meant for https://api.openai.com/v1 …' }
 */
export function resolveApiKey(options: {
  id: string;
  entry: KeyedEntry;
  env: Env;
  legacyOpenAIKey: string | null;
}): ResolvedKey {
  const { id, entry, env } = options;
  const url = entryBaseUrl(entry, env);
  const implicit = implicitKey(entry, env);
  if (url === null) return { apiKey: null, keyVariable: implicit?.variable ?? null, refusal: null };
  const bound = entry.apiKeyBaseUrl ?? url;
  if (entry.apiKey !== undefined) {
    if (sameBaseUrl(bound, url)) {
      return {
        apiKey: entry.apiKey,
        keyVariable: entry.apiKeyEnv ?? implicit?.variable ?? null,
        refusal: null,
      };
    }
    return {
      apiKey: null,
      keyVariable: null,
      refusal:
        `the key saved for ${id} was given for ${normalizeBaseUrl(bound)}, and ${id} now points at ${url}, ` +
        `so it is not sent there; type the key again in Settings if ${url} should have it`,
    };
  }
  if (entry.apiKeyEnv !== undefined) {
    const variable = entry.apiKeyEnv;
    const value = nonEmpty(env[variable]) ?? null;
    if (value === null || sameBaseUrl(bound, url))
      return { apiKey: value, keyVariable: variable, refusal: null };
    return {
      apiKey: null,
      keyVariable: variable,
      refusal:
        `${variable} was named for ${normalizeBaseUrl(bound)}, and ${id} now points at ${url}, so it is not ` +
        `sent there; in Settings, confirm that ${variable} may go to ${url}, or type a key for it`,
    };
  }
  if (implicit === null) return { apiKey: null, keyVariable: null, refusal: null };
  const value =
    nonEmpty(env[implicit.variable]) ?? (entry.type === 'openai' ? options.legacyOpenAIKey : null) ?? null;
  if (value === null || sameBaseUrl(implicit.boundTo, url)) {
    return { apiKey: value, keyVariable: implicit.variable, refusal: null };
  }
  const required = entry.type !== 'openai-compatible' || PRESETS[entry.preset ?? 'vllm'].requireKey;
  return {
    apiKey: null,
    keyVariable: implicit.variable,
    // A local server may need no key: withholding one it was never meant to get is then no error.
    refusal: required
      ? `${implicit.variable} is meant for ${normalizeBaseUrl(implicit.boundTo)}, and ${id} points at ${url}, ` +
        `so it is not sent there; type a key for ${url} in Settings, or name ${implicit.variable} as its key variable (apiKeyEnv) to send it there`
      : null,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
