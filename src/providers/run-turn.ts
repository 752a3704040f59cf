import type { FinishReason, ProviderFailure, TokenUsage, TurnEvent } from '../core/provider.ts';
import { classifyError } from './classify-error.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import type { ProviderError } from './errors/provider-error.ts';
import { RateLimitError } from './errors/rate-limit-error.ts';
import { ServerError } from './errors/server-error.ts';
import { StreamIncompleteError } from './errors/stream-incomplete-error.ts';
import { type Exchange, newExchange } from './recording-fetch.ts';
import { backoffMs, type RetryPolicy } from './retry-policy.ts';
import type { StreamAssembler } from './stream-assembler.ts';

export interface RunTurnOptions<Chunk> {
  provider: string;
  model: string;
  baseUrl: string | null;
  /** The body as planned; the record keeps the body as the recording fetch saw it leave, when there is one. */
  request: unknown;
  signal?: AbortSignal | undefined;
  retry: RetryPolicy;
  keyVariable: string | null;
  /** Starts one attempt; throws what the SDK throws for an HTTP error. */
  open: (exchange: Exchange, signal: AbortSignal) => Promise<AsyncIterable<Chunk>>;
  createAssembler: () => StreamAssembler<Chunk>;
  /** A chance to explain a failure better (e.g. a 404 becomes "unknown model; it offers …"). */
  explain?: (error: ProviderError) => Promise<ProviderError>;
  now?: () => number;
}

const CONTENT_EVENTS = new Set(['text-delta', 'reasoning-delta', 'tool-call-start', 'tool-call-delta']);

/**
 * Drives one streamed turn for any wire format: retries 429s and failures that happen before any output
 * (honouring Retry-After, emitting `retry-waiting`), keeps whatever arrived when the stream is stopped or
 * breaks, and always ends with exactly one `finish` event carrying the exact request and raw response.
 */
export async function* runTurn<Chunk>(options: RunTurnOptions<Chunk>): AsyncGenerator<TurnEvent> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const outer = options.signal;
  let exchange = newExchange();
  let assembler = options.createAssembler();
  let attemptStarted = started;
  let firstTokenAt: number | null = null;
  let failure: ProviderFailure | null = null;
  let reason: FinishReason | null = null;

  for (let attempt = 0; ; attempt += 1) {
    exchange = newExchange();
    assembler = options.createAssembler();
    attemptStarted = now();
    const controller = new AbortController();
    const forward = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', forward, { once: true });
    let produced = false;
    try {
      if (outer?.aborted) throw outer.reason;
      const stream = await options.open(exchange, controller.signal);
      for await (const chunk of stream) {
        let events: TurnEvent[];
        try {
          events = assembler.push(chunk);
        } catch (error) {
          controller.abort();
          throw error instanceof MalformedResponseError
            ? error
            : new MalformedResponseError({ provider: options.provider, detail: String(error), cause: error });
        }
        for (const event of events) {
          if (firstTokenAt === null && CONTENT_EVENTS.has(event.type)) firstTokenAt = now();
          if (CONTENT_EVENTS.has(event.type)) produced = true;
          yield event;
        }
      }
      if (outer?.aborted) {
        reason = 'stopped';
      } else {
        reason = assembler.finishReason();
        if (reason === null) {
          failure = new StreamIncompleteError({ provider: options.provider }).toFailure();
          reason = 'error';
        }
      }
    } catch (error) {
      if (outer?.aborted) {
        reason = 'stopped';
      } else {
        const classified = classifyError(error, {
          provider: options.provider,
          baseUrl: options.baseUrl,
          keyVariable: options.keyVariable,
          midStream: produced,
        });
        const explained = options.explain === undefined ? classified : await options.explain(classified);
        const wait = produced ? null : retryDelay(explained, attempt + 1, options.retry);
        if (wait !== null) {
          yield {
            type: 'retry-waiting',
            seconds: wait / 1000,
            attempt: attempt + 1,
            failure: explained.toFailure(),
          };
          try {
            await options.retry.sleep(wait, outer);
            continue;
          } catch {
            reason = 'stopped';
          }
        } else {
          failure = explained.toFailure();
          reason = 'error';
        }
      }
    } finally {
      outer?.removeEventListener('abort', forward);
    }
    break;
  }

  for (const event of assembler.close(reason !== 'stopped' && reason !== 'error')) yield event;
  if (failure !== null) yield { type: 'error', failure };
  const usage: TokenUsage | null = assembler.usage();
  if (usage !== null) yield { type: 'usage', usage };
  yield {
    type: 'finish',
    reason: reason ?? 'error',
    message: assembler.message(),
    usage,
    failure,
    record: {
      provider: options.provider,
      model: options.model,
      baseUrl: options.baseUrl,
      request: exchange.request ?? options.request,
      response: exchange.response,
      timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - attemptStarted),
      durationMs: Math.round(now() - started),
    },
  };
}

/** Milliseconds to wait before the next attempt, or null when this failure is not worth another. */
function retryDelay(error: ProviderError, retryNumber: number, policy: RetryPolicy): number | null {
  if (!error.isRetryable || retryNumber > policy.maxRetries) return null;
  // A refused connection will not answer in a second either; the person retries once it runs.
  if (
    error.code === 'stream-incomplete' ||
    error.code === 'malformed-response' ||
    error.code === 'connection'
  ) {
    return null;
  }
  const asked =
    error instanceof RateLimitError || error instanceof ServerError ? error.retryAfterSeconds : null;
  const askedMs = asked === null ? null : asked * 1000;
  if (askedMs !== null && askedMs > policy.maxRetryAfterMs) return null;
  return askedMs ?? backoffMs(policy, retryNumber);
}
