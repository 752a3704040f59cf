import { ProviderError } from './provider-error.ts';

/** Could not connect, or the connection dropped while the answer streamed. */
export class ConnectionError extends ProviderError {
  constructor(options: {
    provider: string;
    baseUrl: string | null;
    detail: string;
    midStream: boolean;
    cause?: unknown;
  }) {
    const where = options.baseUrl === null ? '' : ` at ${options.baseUrl}`;
    super({
      code: 'connection',
      provider: options.provider,
      isRetryable: true,
      cause: options.cause,
      message: options.midStream
        ? `the connection to ${options.provider}${where} dropped while the answer streamed (${options.detail}); what arrived is kept`
        : `could not reach ${options.provider}${where} (${options.detail}); is it running and is the address right?`,
    });
    this.name = 'ConnectionError';
  }
}
