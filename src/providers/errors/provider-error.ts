import { AppError } from '../../core/errors.ts';
import type { ProviderFailure } from '../../core/provider.ts';

/**
 * Base of every provider failure: names the provider, says whether trying again may help, and turns into
 * the `ProviderFailure` value a turn's `error` event carries (expected outcomes are values, STYLE.md 3).
 */
export class ProviderError extends AppError {
  readonly provider: string;
  readonly isRetryable: boolean;
  readonly status: number | undefined;

  constructor(options: {
    code: string;
    provider: string;
    message: string;
    isRetryable?: boolean;
    status?: number | undefined;
    cause?: unknown;
  }) {
    super(options.code, options.message, { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.isRetryable = options.isRetryable ?? false;
    this.status = options.status;
  }

  toFailure(): ProviderFailure {
    const failure: ProviderFailure = {
      code: this.code,
      message: this.message,
      isRetryable: this.isRetryable,
    };
    if (this.status !== undefined) failure.status = this.status;
    return failure;
  }
}
