import { ProviderError } from './provider-error.ts';

/** Any other 4xx: the provider's own explanation, passed on as it said it. */
export class RequestRejectedError extends ProviderError {
  constructor(options: { provider: string; status: number | undefined; detail: string; cause?: unknown }) {
    const status = options.status === undefined ? '' : ` (HTTP ${options.status})`;
    super({
      code: 'request-rejected',
      provider: options.provider,
      status: options.status,
      cause: options.cause,
      message: `${options.provider} rejected the request${status}: ${options.detail}`,
    });
    this.name = 'RequestRejectedError';
  }
}
