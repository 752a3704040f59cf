import { AppError } from '../core/errors.ts';

/** An error with an HTTP status, for refusals the server itself decides (auth, host, origin). */
export class HttpError extends AppError {
  readonly statusCode: number;
  constructor(statusCode: number, code: string, message: string, field?: string) {
    super(code, message, field === undefined ? {} : { field });
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  not_found: 404,
  conflict: 409,
  no_model: 409,
  no_sandbox: 409,
  sandbox_start_failed: 409,
  shell_elsewhere: 409,
  database_unavailable: 503,
  // The model failed to draft a text (a summary, a commit message): upstream's fault, not the request's.
  draft_failed: 502,
  invalid_config: 500,
  database_too_new: 500,
};

export function statusFor(error: AppError): number {
  if (error instanceof HttpError) return error.statusCode;
  return STATUS_BY_CODE[error.code] ?? 500;
}
