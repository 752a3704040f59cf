/**
 * An OpenAI-compatible chat server on 127.0.0.1 whose answers the test writes as it goes: each request is
 * handed to the test's handler with a `reply` that writes real Chat Completions SSE chunks when called. A
 * handler can await a promise the test resolves between chunks, so a browser test can look at a half-streamed
 * answer without sleeping.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chunk, toolDelta, USAGE_CHUNK } from '../../providers/support/openai-script.ts';
import { SSE_HEADERS } from '../../providers/support/wire-server.ts';

export interface ChatMessage {
  role: string;
  content: string | null;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: unknown[];
}

export interface ChatReply {
  /** One content delta, written as its own SSE event. */
  text(content: string): Promise<void>;
  /** A `run_command` call, its JSON arguments split across several chunks as real servers send them. */
  runCommand(id: string, command: string): Promise<void>;
  /** A call of any tool (`edit_file`, `write_file`, …), its JSON arguments split as `runCommand`'s are. */
  toolCall(id: string, name: string, args: unknown): Promise<void>;
  /** The finish chunk, the usage chunk and `[DONE]`; then the response ends. */
  finish(reason?: 'stop' | 'tool_calls'): Promise<void>;
  /** Resolves when the client went away (Stop aborts the request). */
  closed: Promise<void>;
  /** This request's place among the model's chat requests, from 0. */
  index: number;
}

export type ChatHandler = (request: ChatRequest, reply: ChatReply) => Promise<void>;

export interface ScriptedModel {
  /** The base URL to PATCH into a conversation (`…/v1`). */
  baseUrl: string;
  chats: ChatRequest[];
  /** Resolves with the `index`-th chat request (0-based) once it has arrived. */
  chat(index: number): Promise<ChatRequest>;
  close(): Promise<void>;
}

export const SCRIPTED_MODEL_ID = 'scripted';

export async function startScriptedModel(handler: ChatHandler): Promise<ScriptedModel> {
  const chats: ChatRequest[] = [];
  const waiters = new Map<number, (request: ChatRequest) => void>();
  const open = new Set<ServerResponse>();

  const server = createServer(async (incoming, response) => {
    const body = await readBody(incoming);
    if (incoming.url?.endsWith('/models')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: SCRIPTED_MODEL_ID, object: 'model' }] }));
      return;
    }
    const request = JSON.parse(body) as ChatRequest;
    const index = chats.push(request) - 1;
    waiters.get(index)?.(request);
    open.add(response);
    response.socket?.setNoDelay(true);
    response.writeHead(200, SSE_HEADERS);
    response.flushHeaders();
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    void closed.then(() => open.delete(response));
    const write = (payload: unknown) =>
      new Promise<void>((resolve) => {
        if (response.writableEnded || response.destroyed) return resolve();
        response.write(`data: ${JSON.stringify(payload)}\n\n`, () => resolve());
      });
    await write(chunk({ role: 'assistant', content: '' }));
    const reply: ChatReply = {
      text: (content) => write(chunk({ content })),
      runCommand: (id, command) => reply.toolCall(id, 'run_command', { command }),
      toolCall: async (id, name, value) => {
        const args = JSON.stringify(value);
        await write(chunk(toolDelta({ id, name, arguments: '' })));
        const third = Math.ceil(args.length / 3);
        for (let start = 0; start < args.length; start += third) {
          await write(chunk(toolDelta({ arguments: args.slice(start, start + third) })));
        }
      },
      finish: async (reason = 'stop') => {
        await write(chunk({}, reason));
        await write(USAGE_CHUNK);
        if (!response.writableEnded) response.end('data: [DONE]\n\n');
      },
      closed,
      index,
    };
    try {
      await handler(request, reply);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    chats,
    chat: (index) => {
      const known = chats[index];
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => waiters.set(index, resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (piece: string) => {
      text += piece;
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/** A promise and the function that settles it: the test's hand on the stream. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * The model the terminal's browser tests talk to: a tool result gets "Seen: <result>", anything else a
 * `run_command` proposal of `proposal()` (read as the request arrives), its id `call_<n>` for the n-th chat.
 */
export function proposingModel(proposal: () => string): ChatHandler {
  return async (request, reply) => {
    const last = lastMessage(request);
    if (last.role === 'tool') {
      await reply.text(`Seen: ${last.content}`);
      await reply.finish();
      return;
    }
    await reply.runCommand(`call_${reply.index + 1}`, proposal());
    await reply.finish('tool_calls');
  };
}

/** The last message of a chat request, which is what a scripted answer usually reacts to. */
export function lastMessage(request: ChatRequest): ChatMessage {
  const last = request.messages.at(-1);
  if (last === undefined) throw new Error('a chat request with no messages');
  return last;
}
