import { ProviderError } from './provider-error.ts';

/** 5xx (and Anthropic's 529 overloaded): the provider failed, trying again later may work. */
export class ServerError extends ProviderError {
  readonly retryAfterSeconds: number | null;
  constructor(options: {
    provider: string;
    status: number;
    detail: string;
    retryAfterSeconds?: number | null;
    cause?: unknown;
  }) {
    super({
      code: 'server-error',
      provider: options.provider,
      status: options.status,
      isRetryable: true,
      cause: options.cause,
      message: `${options.provider} failed with HTTP ${options.status}: ${options.detail}`,
    });
    this.name = 'ServerError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}
