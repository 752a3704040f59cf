import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** One scripted answer: a status, headers, and the body as chunks written one after another. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  chunks?: (string | Uint8Array)[];
  /** After the chunks: `end` the response (default), `destroy` the socket mid-stream, or `hold` it open. */
  after?: 'end' | 'destroy' | 'hold';
}

export type Handler = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

export interface WireServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks whatever wire format the handler scripts: the providers are
 * tested against bytes on a socket, never against a mocked SDK.
 */
export async function startWireServer(handler: Handler): Promise<WireServer> {
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (incoming, response) => {
    const text = await readBody(incoming);
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: text === '' ? null : safeJson(text),
    };
    requests.push(request);
    const script = await handler(request);
    response.socket?.setNoDelay(true);
    response.writeHead(script.status ?? 200, script.headers ?? { 'content-type': 'application/json' });
    response.flushHeaders();
    for (const chunk of script.chunks ?? []) {
      // Wait for each write to reach the socket so chunk boundaries are kept as far as TCP allows.
      await new Promise<void>((resolve) => response.write(chunk, () => resolve()));
    }
    if (script.after === 'destroy') response.socket?.destroy();
    else if (script.after === 'hold') open.add(response);
    else response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An SSE stream of JSON payloads the way OpenAI frames it. */
export function sse(payloads: unknown[], options: { done?: boolean } = {}): string[] {
  const events = payloads.map((payload) => `data: ${JSON.stringify(payload)}\n\n`);
  if (options.done ?? true) events.push('data: [DONE]\n\n');
  return events;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
