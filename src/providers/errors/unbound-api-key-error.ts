import { ProviderError } from './provider-error.ts';

/**
 * A key exists but was given for another base URL than the one the provider now points at, so it is not sent
 * (a key goes only where it was saved for); the message says how to give this address a key.
 */
export class UnboundApiKeyError extends ProviderError {
  constructor(options: { provider: string; reason: string }) {
    super({ code: 'unbound-api-key', provider: options.provider, message: options.reason });
    this.name = 'UnboundApiKeyError';
  }
}
