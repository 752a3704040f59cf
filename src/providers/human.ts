import type {
  ModelCapabilities,
  ModelListResult,
  ModelProvider,
  ProviderDialect,
  RequestPreview,
  TokenCount,
  TurnEvent,
  TurnInput,
} from '../core/provider.ts';
import { ProviderError } from './errors/provider-error.ts';
import { estimateTokens } from './estimate-tokens.ts';
import { failedTurn } from './failed-turn.ts';

/**
 * "human": no model; the person writes the assistant's turn (the original app's way to coax a weak model).
 * Generating is not possible, and says so; counting and previews still work so the meter shows.
 */
export class HumanProvider implements ModelProvider {
  readonly id = 'human';
  readonly baseUrl = null;
  readonly dialect: ProviderDialect = { authorNames: 'prefix', toolMessages: true };

  async *streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
    const error = new ProviderError({
      code: 'human-provider',
      provider: this.id,
      message:
        'no model is connected to this conversation: write the assistant turn yourself, or choose a provider',
    });
    yield* failedTurn({ provider: this.id, model: input.model, baseUrl: null, request: null, error });
  }

  listModels(): Promise<ModelListResult> {
    return Promise.resolve({ ok: true, models: [] });
  }

  capabilities(model: string): Promise<ModelCapabilities> {
    return Promise.resolve({
      model,
      tools: false,
      contextWindow: Number.MAX_SAFE_INTEGER,
      maxOutputTokens: null,
      source: 'assumed',
    });
  }

  countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount> {
    return Promise.resolve(estimateTokens(input.messages, input.tools));
  }

  async preview(input: Omit<TurnInput, 'signal'>): Promise<RequestPreview> {
    const tokens = await this.countTokens(input);
    const capabilities = await this.capabilities(input.model);
    return {
      request: null,
      tokens,
      capabilities,
      budget: {
        fits: true,
        inputTokens: tokens.tokens,
        contextWindow: capabilities.contextWindow,
        available: capabilities.contextWindow,
        maxOutputTokens: null,
      },
    };
  }
}
