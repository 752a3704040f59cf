import { ProviderError } from './provider-error.ts';

/** The conversation does not fit the model's window; the message carries the numbers (never a silent cut). */
export class ContextOverflowError extends ProviderError {
  constructor(options: { provider: string; message: string }) {
    super({ code: 'context-overflow', provider: options.provider, message: options.message });
    this.name = 'ContextOverflowError';
  }
}
