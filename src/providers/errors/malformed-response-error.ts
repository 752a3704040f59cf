import { ProviderError } from './provider-error.ts';

/** A chunk that is not valid JSON or not the shape the wire format promises: an error on this call only. */
export class MalformedResponseError extends ProviderError {
  constructor(options: { provider: string; detail: string; cause?: unknown }) {
    super({
      code: 'malformed-response',
      provider: options.provider,
      cause: options.cause,
      message: `${options.provider} sent a response that could not be read (${options.detail}); what arrived before it is kept`,
    });
    this.name = 'MalformedResponseError';
  }
}
