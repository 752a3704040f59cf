import { ProviderError } from './provider-error.ts';

/** The stream closed cleanly but before the model finished (no finish reason): the answer is partial. */
export class StreamIncompleteError extends ProviderError {
  constructor(options: { provider: string }) {
    super({
      code: 'stream-incomplete',
      provider: options.provider,
      isRetryable: true,
      message: `${options.provider} closed the stream before the answer finished; what arrived is kept`,
    });
    this.name = 'StreamIncompleteError';
  }
}
