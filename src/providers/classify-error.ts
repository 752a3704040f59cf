import { AuthenticationError } from './errors/authentication-error.ts';
import { ConnectionError } from './errors/connection-error.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import { ProviderError } from './errors/provider-error.ts';
import { RateLimitError } from './errors/rate-limit-error.ts';
import { RequestRejectedError } from './errors/request-rejected-error.ts';
import { ServerError } from './errors/server-error.ts';
import { retryAfterMs } from './retry-policy.ts';

export interface ClassifyContext {
  provider: string;
  baseUrl: string | null;
  /** The variable that holds this provider's key, for a 401's message. */
  keyVariable: string | null;
  /** Whether any of the answer had arrived: a dropped connection then keeps the partial answer. */
  midStream: boolean;
}

/** What the SDKs (openai, @anthropic-ai/sdk, ollama) throw, read by shape so no SDK type leaks here. */
interface HttpLikeError {
  status?: unknown;
  status_code?: unknown;
  headers?: unknown;
  error?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  name?: unknown;
}

/**
 * Turns whatever an SDK or fetch threw into one typed provider error with a message a person can act on.
 *
 * @example classifyError(new APIError(429, …), { provider: 'openai', … }) // RateLimitError
 */
export function classifyError(error: unknown, context: ClassifyContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  const status =
    typeof candidate.status === 'number'
      ? candidate.status
      : typeof candidate.status_code === 'number'
        ? candidate.status_code
        : undefined;
  const detail = errorDetail(error);
  const provider = context.provider;

  if (error instanceof SyntaxError) {
    return new MalformedResponseError({ provider, detail: error.message, cause: error });
  }
  if (status === undefined) {
    if (isConnectionFailure(error)) {
      return new ConnectionError({
        provider,
        baseUrl: context.baseUrl,
        detail,
        midStream: context.midStream,
        cause: error,
      });
    }
    // An error event inside a 200 stream (OpenAI `{"error": …}`, Anthropic `event: error`).
    const code = embeddedCode(candidate);
    const coded = code === null ? detail : `${code}: ${detail}`;
    if (code === 'rate_limit_exceeded' || code === 'rate_limit_error') {
      return new RateLimitError({ provider, detail, retryAfterSeconds: null, cause: error });
    }
    if (code === 'overloaded_error' || code === 'server_error' || code === 'api_error') {
      return new ServerError({ provider, status: 500, detail: coded, cause: error });
    }
    return new RequestRejectedError({ provider, status: undefined, detail: coded, cause: error });
  }
  const headers = candidate.headers as Headers | Record<string, string> | undefined;
  const waitMs = retryAfterMs(headers, Date.now());
  const retryAfterSeconds = waitMs === null ? null : waitMs / 1000;
  if (status === 401 || status === 403) {
    return new AuthenticationError({ provider, status, variable: context.keyVariable, detail, cause: error });
  }
  // OpenAI answers an exhausted quota with 429 too; waiting does not refill it.
  if (status === 429 && embeddedCode(candidate) === 'insufficient_quota') {
    return new RequestRejectedError({
      provider,
      status,
      detail: `insufficient_quota: ${detail}`,
      cause: error,
    });
  }
  if (status === 429) return new RateLimitError({ provider, detail, retryAfterSeconds, cause: error });
  if (status >= 500) return new ServerError({ provider, status, detail, retryAfterSeconds, cause: error });
  return new RequestRejectedError({ provider, status, detail, cause: error });
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  if (name === 'APIConnectionError' || name === 'APIConnectionTimeoutError') return true;
  const text = `${error.message} ${error.cause instanceof Error ? `${error.cause.message} ${(error.cause as { code?: string }).code ?? ''}` : ''}`;
  return /fetch failed|terminated|ECONNREFUSED|ECONNRESET|socket|other side closed|network|aborted|timed out|EPIPE/i.test(
    text,
  );
}

function embeddedCode(candidate: HttpLikeError): string | null {
  const body = candidate.error as
    | { code?: unknown; type?: unknown; error?: { type?: unknown; code?: unknown } }
    | undefined;
  const code = body?.code ?? body?.type ?? body?.error?.type ?? body?.error?.code ?? candidate.code;
  return typeof code === 'string' ? code : null;
}

/** The provider's own words, without SDK prefixes like "429 " that repeat the status. */
export function errorDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const body = (error as HttpLikeError).error as
    | { message?: unknown; error?: { message?: unknown } | string }
    | string
    | undefined;
  if (typeof body === 'string' && body !== '') return body;
  if (typeof body === 'object' && body !== null) {
    if (typeof body.message === 'string' && body.message !== '') return body.message;
    if (typeof body.error === 'string' && body.error !== '') return body.error;
    if (typeof body.error === 'object' && typeof body.error?.message === 'string') return body.error.message;
  }
  const message = error.message.replace(/^\d{3}\s+/, '');
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${message}${cause}`;
}
