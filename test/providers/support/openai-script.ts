import {
  type Handler,
  type ScriptedResponse,
  SSE_HEADERS,
  sse,
  startWireServer,
  type WireServer,
} from './wire-server.ts';

/** A Chat Completions chunk with the fields OpenAI always sends. */
export function chunk(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

export function toolDelta(fields: {
  id?: string;
  name?: string;
  arguments?: string;
}): Record<string, unknown> {
  const call: Record<string, unknown> = { index: 0 };
  if (fields.id !== undefined) call.id = fields.id;
  if (fields.id !== undefined) call.type = 'function';
  const fn: Record<string, unknown> = {};
  if (fields.name !== undefined) fn.name = fields.name;
  if (fields.arguments !== undefined) fn.arguments = fields.arguments;
  call.function = fn;
  return { tool_calls: [call] };
}

export const USAGE_CHUNK = {
  id: 'chatcmpl-test',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o',
  choices: [],
  usage: {
    prompt_tokens: 21,
    completion_tokens: 9,
    total_tokens: 30,
    prompt_tokens_details: { cached_tokens: 4 },
  },
};

/** `run_command` called with `{"command": "ls -la"}`, its arguments split over many chunks, then usage. */
export function toolCallStream(): ScriptedResponse {
  const pieces = ['{"', 'comm', 'and', '": "', 'ls', ' -', 'la', '"}'];
  return {
    headers: SSE_HEADERS,
    chunks: sse([
      chunk({ role: 'assistant', content: null }),
      chunk(toolDelta({ id: 'call_abc', name: 'run_command', arguments: '' })),
      ...pieces.map((piece) => chunk(toolDelta({ arguments: piece }))),
      chunk({}, 'tool_calls'),
      USAGE_CHUNK,
    ]),
  };
}

/** `GET /v1/models` answered with one model, `scripted`. */
export const MODEL_LIST: ScriptedResponse = {
  headers: { 'content-type': 'application/json' },
  chunks: [JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] })],
};

/**
 * An OpenAI-compatible server on 127.0.0.1 as the app's tests need one: `GET …/models` lists MODEL_LIST,
 * every other request (the chat) gets `answer`'s script. The caller closes it.
 */
export function startOpenAiCompatibleServer(answer: Handler): Promise<WireServer> {
  return startWireServer((request) => (request.path.endsWith('/models') ? MODEL_LIST : answer(request)));
}

/** A plain answer streamed as one content delta per piece, then the finish and usage chunks. */
export function textStream(...pieces: string[]): ScriptedResponse {
  return {
    headers: SSE_HEADERS,
    chunks: sse([
      chunk({ role: 'assistant', content: '' }),
      ...pieces.map((content) => chunk({ content })),
      chunk({}, 'stop'),
      USAGE_CHUNK,
    ]),
  };
}

/** `run_command` with `command`, its JSON arguments split in two, as id `call_1`. */
export function runCommandStream(command: string): ScriptedResponse {
  return namedToolCallStream('run_command', { command });
}

/** One call of the tool `name` with `args`, its argument text split across two chunks. */
export function namedToolCallStream(name: string, args: unknown, id = 'call_1'): ScriptedResponse {
  const text = JSON.stringify(args);
  return {
    headers: SSE_HEADERS,
    chunks: sse([
      chunk({ role: 'assistant', content: null }),
      chunk(toolDelta({ id, name, arguments: '' })),
      chunk(toolDelta({ arguments: text.slice(0, 5) })),
      chunk(toolDelta({ arguments: text.slice(5) })),
      chunk({}, 'tool_calls'),
      USAGE_CHUNK,
    ]),
  };
}
