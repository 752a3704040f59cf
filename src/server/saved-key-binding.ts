import type { AppConfig, ProviderEntry } from '../core/config.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { entryBaseUrl, normalizeBaseUrl, sameBaseUrl } from '../providers/api-key-binding.ts';

type KeyedEntry = Extract<ProviderEntry, { type: 'openai' | 'anthropic' | 'openai-compatible' }>;

const KEYED = new Set<string>(['openai', 'anthropic', 'openai-compatible']);

/**
 * The config a Settings save writes, with each key bound to the base URL it was given for (issue 7 item 7):
 *
 * - a provider sent without `apiKey` keeps its saved key, unless named in `removeApiKeys`, and only while it
 *   points where that key was given for: a new address without a new key is refused, naming the field;
 * - a typed key, or a newly named `apiKeyEnv`, is bound to the address the entry now has;
 * - a named variable follows a new address only when the person confirms it (`rebindApiKeyEnv`);
 * - `apiKeyBaseUrl` is the server's to write: whatever the browser sends for it is dropped.
 *
 * @example bindSavedKeys({ next, current: choices.config, remove: new Set(), rebind: new Set(), env })
 */
export function bindSavedKeys(options: {
  next: AppConfig;
  current: AppConfig;
  remove: ReadonlySet<string>;
  rebind: ReadonlySet<string>;
  env: Record<string, string | undefined>;
}): AppConfig {
  const { next, current, remove, rebind, env } = options;
  const providers: AppConfig['providers'] = {};
  for (const [id, entry] of Object.entries(next.providers)) {
    if (!KEYED.has(entry.type)) {
      providers[id] = entry;
      continue;
    }
    const { apiKeyBaseUrl: _fromBrowser, ...sent } = entry as KeyedEntry;
    const before = current.providers[id];
    const previous = before?.type === sent.type ? (before as KeyedEntry) : undefined;
    const url = entryBaseUrl(sent as KeyedEntry, env);
    const previousBinding =
      previous === undefined ? null : (previous.apiKeyBaseUrl ?? entryBaseUrl(previous, env));
    const moved = url !== null && previousBinding !== null && !sameBaseUrl(previousBinding, url);
    const result: KeyedEntry = { ...(sent as KeyedEntry) };
    let binding: string | null = url;
    if (result.apiKey === undefined && previous?.apiKey !== undefined && !remove.has(id)) {
      if (moved) {
        throw new InvalidRequestError(
          `The saved key of ${id} was given for ${normalizeBaseUrl(previousBinding)}; type it again to send it to ${url}, or remove it.`,
          `providers.${id}.apiKey`,
        );
      }
      result.apiKey = previous.apiKey;
      binding = previousBinding;
    } else if (
      result.apiKey === undefined &&
      result.apiKeyEnv !== undefined &&
      result.apiKeyEnv === previous?.apiKeyEnv &&
      !rebind.has(id)
    ) {
      if (moved) {
        throw new InvalidRequestError(
          `${result.apiKeyEnv} was named for ${normalizeBaseUrl(previousBinding)}; confirm that it may go to ${url}, or type a key.`,
          `providers.${id}.apiKeyEnv`,
        );
      }
      binding = previousBinding;
    }
    if (binding !== null && (result.apiKey !== undefined || result.apiKeyEnv !== undefined)) {
      result.apiKeyBaseUrl = normalizeBaseUrl(binding);
    }
    providers[id] = result;
  }
  return { ...next, providers };
}
