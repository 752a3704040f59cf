import type { AppConfig } from '../core/config.ts';
import type { ConversationSettings } from '../core/domain.ts';
import { AppError, InvalidRequestError } from '../core/errors.ts';
import { chooseDefaultProvider, type DefaultSelection } from '../core/first-run-provider.ts';
import type { ModelInfo, ModelListResult, ModelProvider } from '../core/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { ProviderChoice, ProviderResolver } from './model-turns.ts';

/** The conversation's provider is `human`: nobody can generate, and the person should know what to do. */
export class NoModelConnectedError extends AppError {
  constructor(hint: string | null) {
    super(
      'no_model',
      hint ??
        'This conversation has no model (provider “human”): write the assistant turn yourself, or choose a provider and model.',
    );
    this.name = 'NoModelConnectedError';
  }
}

export interface ProviderStatus {
  id: string;
  type: string;
  label: string;
  baseUrl: string | null;
  available: boolean;
  models: ModelInfo[];
  error?: string;
}

/** A server that accepts connections but never answers must not hold up the first-run choice. */
const PROBE_TIMEOUT_MS = 2_000;
const LIST_TIMEOUT_MS = 5_000;

const LABELS: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  ollama: 'Ollama',
  'openai-compatible': 'OpenAI-compatible server',
  'llama-cpp': 'In-process GGUF (node-llama-cpp)',
  human: 'Human (you write the assistant turns)',
};

/**
 * Turns a conversation's settings into a provider and model: what the person chose, else the config's
 * defaults, else the first-run choice (OpenAI key → Anthropic key → a local Ollama → human).
 */
export class ProviderChoices implements ProviderResolver {
  #registry: ProviderRegistry;
  #config: AppConfig;
  #selection: Promise<DefaultSelection> | undefined;

  constructor(registry: ProviderRegistry, config: AppConfig) {
    this.#registry = registry;
    this.#config = config;
  }

  get config(): AppConfig {
    return this.#config;
  }

  /** After the Settings page saved a new config: new conversations and turns use it at once. */
  reload(registry: ProviderRegistry, config: AppConfig): void {
    this.#registry = registry;
    this.#config = config;
    this.#selection = undefined;
  }

  /** The first-run choice; probing Ollama is the only slow part, done once and again on `refresh`. */
  defaultSelection(refresh = false): Promise<DefaultSelection> {
    if (this.#selection === undefined || refresh) this.#selection = this.#probe();
    return this.#selection;
  }

  async resolve(
    settings: ConversationSettings,
    purpose: 'generate' | 'preview' = 'generate',
  ): Promise<ProviderChoice> {
    const selection = await this.defaultSelection();
    const providerId = settings.provider ?? selection.provider;
    if (providerId === 'human') {
      if (purpose === 'preview')
        return { provider: this.#registry.get({ provider: 'human' }), model: 'human' };
      throw new NoModelConnectedError(settings.provider === undefined ? selection.banner : null);
    }
    let provider: ProviderChoice['provider'];
    try {
      provider = this.#registry.get({ provider: providerId, baseUrl: settings.baseUrl });
    } catch (error) {
      throw new InvalidRequestError((error as Error).message, 'provider');
    }
    const configured = this.#config.providers[providerId];
    const model =
      settings.model ??
      (settings.provider === undefined ? selection.model : null) ??
      (configured !== undefined && 'defaultModel' in configured ? configured.defaultModel : undefined) ??
      (providerId === this.#config.defaults.provider ? this.#config.defaults.model : undefined) ??
      (await this.#firstModel(provider));
    if (model === undefined || model === null) {
      throw new InvalidRequestError(
        `choose a model for provider ${providerId} (it offers none we could list)`,
        'model',
      );
    }
    const temperature = settings.temperature ?? this.#config.defaults.temperature;
    const maxOutputTokens = settings.maxOutputTokens ?? this.#config.defaults.maxOutputTokens;
    return {
      provider,
      model,
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    };
  }

  /** Every configured provider, whether it answers, and its models (for the Settings page and `mp doctor`). */
  async statuses(): Promise<ProviderStatus[]> {
    return Promise.all(
      this.#registry.list().map(async (summary) => {
        const provider = this.#registry.get({ provider: summary.id });
        const listed: ModelListResult =
          summary.type === 'human' ? { ok: true, models: [] } : await listWithin(provider, LIST_TIMEOUT_MS);
        return {
          id: summary.id,
          type: summary.type,
          label: LABELS[summary.id] ?? `${LABELS[summary.type] ?? summary.type} (${summary.id})`,
          baseUrl: summary.baseUrl,
          available: listed.ok,
          models: listed.ok ? listed.models : [],
          ...(listed.ok ? {} : { error: listed.failure.message }),
        };
      }),
    );
  }

  async #firstModel(provider: ProviderChoice['provider']): Promise<string | undefined> {
    const listed = await listWithin(provider, LIST_TIMEOUT_MS);
    return listed.ok ? listed.models[0]?.id : undefined;
  }

  async #probe(): Promise<DefaultSelection> {
    const summaries = this.#registry.list();
    const ollama = this.#registry.get({ provider: 'ollama' });
    const listed = await listWithin(ollama, PROBE_TIMEOUT_MS);
    return chooseDefaultProvider(
      {
        openaiKey: summaries.some((summary) => summary.id === 'openai' && summary.hasKey),
        anthropicKey: summaries.some((summary) => summary.id === 'anthropic' && summary.hasKey),
        ollama: {
          host: ollama.baseUrl ?? '',
          answers: listed.ok,
          models: listed.ok ? listed.models.map((model) => model.id) : [],
        },
      },
      this.#config,
    );
  }
}

function listWithin(provider: ModelProvider, ms: number): Promise<ModelListResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ModelListResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          failure: {
            code: 'timeout',
            message: `${provider.id} did not answer within ${ms / 1000} s`,
            isRetryable: true,
          },
        }),
      ms,
    );
  });
  return Promise.race([provider.listModels(), timeout]).finally(() => clearTimeout(timer));
}
