import type { ApiError } from '../../../src/core/api/schemas.ts';

/**
 * A request the server answered with an error (or could not be reached). Carries the server's stable `code`
 * and the `field` a bad body names, so a form can point at the field and a toast can show the message as is.
 */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, error: ApiError, options: { cause?: unknown } = {}) {
    super(error.message, { cause: options.cause });
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = error.code;
    this.field = error.field;
  }

  /** 401: the page has no valid token cookie; only the link `mp serve` printed can fix that. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** Status 0 stands for "no answer at all": the server is down or the network refused the request. */
export const UNREACHABLE_STATUS = 0;
