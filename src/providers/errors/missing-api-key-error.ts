import { ProviderError } from './provider-error.ts';

/** No key for a provider that needs one: says which variable to set. */
export class MissingApiKeyError extends ProviderError {
  readonly variable: string;
  constructor(options: { provider: string; variable: string; extra?: string }) {
    super({
      code: 'missing-api-key',
      provider: options.provider,
      message: `${options.variable} is not set${options.extra ?? ''}; set it or choose another provider in Settings`,
    });
    this.name = 'MissingApiKeyError';
    this.variable = options.variable;
  }
}
