/**
 * What the top bar says about a conversation's model: the provider and model the server resolved (from the
 * preview), else the conversation's own settings, else the server's default choice.
 */
import type { ConversationSettings } from '../api/client.ts';
import type { Preview, ProviderList, ProviderStatus } from '../api/model-api.ts';

/** The provider that is no model: the person writes the assistant's turns. */
export const HUMAN = 'human';

export interface ModelChoice {
  provider: string;
  model: string | null;
  /** The provider is `human`: nobody generates; the person writes the assistant's turns. */
  human: boolean;
}

export function modelChoice(
  settings: ConversationSettings,
  providers: ProviderList | null,
  preview: Preview | null,
): ModelChoice {
  if (preview !== null) {
    const human = preview.provider === HUMAN;
    return { provider: preview.provider, model: human ? null : preview.model, human };
  }
  const provider = settings.provider ?? providers?.defaults.provider ?? 'human';
  const model =
    settings.model ?? (settings.provider === undefined ? (providers?.defaults.model ?? null) : null);
  return { provider, model, human: provider === HUMAN };
}

/** `openai-compatible` is a type, not a configured provider: offered always, since any base URL can be one. */
export const OPENAI_COMPATIBLE = 'openai-compatible';

export interface ProviderOption {
  id: string;
  label: string;
  type: string;
  status: ProviderStatus | null;
}

export function providerOptions(
  providers: ProviderList | null,
  current: string | undefined,
): ProviderOption[] {
  const options: ProviderOption[] = (providers?.providers ?? []).map((status) => ({
    id: status.id,
    label: status.available ? status.label : `${status.label} (not answering)`,
    type: status.type,
    status,
  }));
  if (!options.some((option) => option.id === OPENAI_COMPATIBLE)) {
    options.push({
      id: OPENAI_COMPATIBLE,
      label: 'OpenAI-compatible server (base URL)',
      type: OPENAI_COMPATIBLE,
      status: null,
    });
  }
  if (current !== undefined && !options.some((option) => option.id === current)) {
    options.push({ id: current, label: current, type: current, status: null });
  }
  return options;
}

/** A base URL field for OpenAI-compatible servers; required when no configured provider supplies one. */
export function baseUrlField(option: ProviderOption | undefined): 'required' | 'optional' | 'none' {
  if (option?.type !== OPENAI_COMPATIBLE) return 'none';
  return option.status?.baseUrl ? 'optional' : 'required';
}
