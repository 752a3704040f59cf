/**
 * A `fetch` for the SDKs that keeps the exact request body and the raw response bytes of a call, which is
 * what a model-call row stores (issue 3, "Recording"). Headers are never recorded, so keys never are.
 */
export interface Exchange {
  /** The request body as sent: parsed JSON, or the text when it is not JSON. Null before a request. */
  request: unknown;
  url: string | null;
  status: number | null;
  /** The response body as received, decoded as UTF-8, chunk by chunk. */
  response: string;
}

export function newExchange(): Exchange {
  return { request: null, url: null, status: null, response: '' };
}

export type Fetch = typeof globalThis.fetch;

/**
 * Wraps `base` so every request's body and every response's bytes land in `current()`'s exchange. The
 * response is passed through a TransformStream that copies each chunk as it goes, so the SDK still
 * streams and nothing waits for the whole body.
 *
 * @example
 * let exchange = newExchange();
 * const client = new OpenAI({ fetch: recordingFetch(() => exchange), … });
 */
export function recordingFetch(current: () => Exchange, base: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const exchange = current();
    exchange.url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    exchange.request = parseBody(init?.body);
    const response = await base(input, init);
    exchange.status = response.status;
    if (response.body === null) return response;
    const decoder = new TextDecoder();
    const tee = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        exchange.response += decoder.decode(chunk, { stream: true });
        controller.enqueue(chunk);
      },
      flush() {
        exchange.response += decoder.decode();
      },
    });
    return new Response(response.body.pipeThrough(tee), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  if (typeof body !== 'string') return '(non-text body)';
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
