import { ProviderError } from './provider-error.ts';

/** 429: retried with backoff that honours Retry-After; this is what remains when retries run out. */
export class RateLimitError extends ProviderError {
  readonly retryAfterSeconds: number | null;
  constructor(options: {
    provider: string;
    detail: string;
    retryAfterSeconds: number | null;
    cause?: unknown;
  }) {
    const wait =
      options.retryAfterSeconds === null
        ? ''
        : ` (it asked to wait ${Math.ceil(options.retryAfterSeconds)}s)`;
    super({
      code: 'rate-limited',
      provider: options.provider,
      status: 429,
      isRetryable: true,
      cause: options.cause,
      message: `${options.provider} is rate limiting requests${wait}: ${options.detail}`,
    });
    this.name = 'RateLimitError';
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
