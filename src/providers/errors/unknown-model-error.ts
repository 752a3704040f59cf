import { ProviderError } from './provider-error.ts';

/** The server does not know the model; lists the models it does offer (from its own model list). */
export class UnknownModelError extends ProviderError {
  readonly offered: string[] | null;
  constructor(options: {
    provider: string;
    model: string;
    offered: string[] | null;
    status?: number;
    cause?: unknown;
  }) {
    const shown = options.offered?.slice(0, 20) ?? null;
    const more =
      options.offered !== null && options.offered.length > 20
        ? `, and ${options.offered.length - 20} more`
        : '';
    const offer =
      shown === null
        ? 'its model list could not be read'
        : shown.length === 0
          ? 'it offers no models'
          : `it offers: ${shown.join(', ')}${more}`;
    super({
      code: 'unknown-model',
      provider: options.provider,
      status: options.status,
      cause: options.cause,
      message: `${options.provider} has no model "${options.model}"; ${offer}`,
    });
    this.name = 'UnknownModelError';
    this.offered = options.offered;
  }
}
