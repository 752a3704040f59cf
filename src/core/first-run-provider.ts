import type { AppConfig } from './config.ts';

/** What the edge found out about this machine; gathering it (env, key file, a probe of Ollama) is I/O. */
export interface FirstRunFacts {
  /** `OPENAI_API_KEY` is set, or the original app's `~/.config/ModelProgrammer/API_key.txt` holds a key. */
  openaiKey: boolean;
  anthropicKey: boolean;
  /** Ollama answered at `ollamaHost`, with these models (possibly none pulled yet). */
  ollama: { host: string; answers: boolean; models: string[] };
}

export interface DefaultSelection {
  provider: 'openai' | 'anthropic' | 'ollama' | 'human' | (string & {});
  model: string | null;
  /** Shown as a banner until a model is connected; null when one is. */
  banner: string | null;
  reason: string;
}

export const DEFAULT_OPENAI_MODEL = 'gpt-4.1';
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-6';

/**
 * The provider a conversation starts with when the person chose none (issue 3, "First run"): the config's
 * default if it names one, else OpenAI with a key, else Anthropic with a key, else a local Ollama that
 * answers, else `human` with a banner saying how to connect a model.
 *
 * @example chooseDefaultProvider({ openaiKey: false, anthropicKey: true, ollama: { host, answers: false, models: [] } }, config)
 * // { provider: 'anthropic', model: 'claude-sonnet-4-6', banner: null, … }
 */
export function chooseDefaultProvider(facts: FirstRunFacts, config: AppConfig): DefaultSelection {
  const configured = config.defaults.provider;
  if (configured !== undefined) {
    const entry = config.providers[configured];
    const model =
      config.defaults.model ??
      (entry !== undefined && 'defaultModel' in entry ? entry.defaultModel : undefined);
    return { provider: configured, model: model ?? null, banner: null, reason: 'the config file names it' };
  }
  if (facts.openaiKey) {
    return { provider: 'openai', model: DEFAULT_OPENAI_MODEL, banner: null, reason: 'an OpenAI key is set' };
  }
  if (facts.anthropicKey) {
    return {
      provider: 'anthropic',
      model: DEFAULT_ANTHROPIC_MODEL,
      banner: null,
      reason: 'an Anthropic key is set',
    };
  }
  if (facts.ollama.answers) {
    const model = facts.ollama.models[0] ?? null;
    const banner =
      model === null
        ? `Ollama answers at ${facts.ollama.host} but has no models yet: run \`ollama pull qwen3:8b\` (or another model), then choose it here.`
        : null;
    return { provider: 'ollama', model, banner, reason: `Ollama answers at ${facts.ollama.host}` };
  }
  return {
    provider: 'human',
    model: null,
    banner:
      'No model is connected, so you write the assistant turns yourself. To connect one, set OPENAI_API_KEY or ' +
      `ANTHROPIC_API_KEY and restart, start Ollama (it is looked for at ${facts.ollama.host}; set OLLAMA_HOST ` +
      'if it runs elsewhere), or add a provider in Settings.',
    reason: 'no key is set and Ollama does not answer',
  };
}
