import { ProviderError } from './provider-error.ts';

/** 401/403: the key was refused. Names the variable so the person knows which key to fix. */
export class AuthenticationError extends ProviderError {
  constructor(options: {
    provider: string;
    status: number;
    variable: string | null;
    detail: string;
    cause?: unknown;
  }) {
    const which = options.variable === null ? 'the API key' : `the key in ${options.variable}`;
    super({
      code: 'authentication',
      provider: options.provider,
      status: options.status,
      cause: options.cause,
      message: `${options.provider} refused ${which} (HTTP ${options.status}: ${options.detail}); check it or choose another provider in Settings`,
    });
    this.name = 'AuthenticationError';
  }
}
