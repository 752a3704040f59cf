import type { TurnEvent } from '../core/provider.ts';
import type { ProviderError } from './errors/provider-error.ts';

/** The events of a turn that failed before any request left (missing key, conversation too long). */
export async function* failedTurn(options: {
  provider: string;
  model: string;
  baseUrl: string | null;
  request: unknown;
  error: ProviderError;
}): AsyncGenerator<TurnEvent> {
  const failure = options.error.toFailure();
  yield { type: 'error', failure };
  yield {
    type: 'finish',
    reason: 'error',
    message: { content: '', reasoning: '', toolCalls: [] },
    usage: null,
    failure,
    record: {
      provider: options.provider,
      model: options.model,
      baseUrl: options.baseUrl,
      request: options.request,
      response: '',
      timeToFirstTokenMs: null,
      durationMs: 0,
    },
  };
}
