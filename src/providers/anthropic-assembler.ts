import { z } from 'zod';
import type { AssembledMessage, FinishReason, TokenUsage, TurnEvent } from '../core/provider.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import type { StreamAssembler } from './stream-assembler.ts';
import { ToolCallAccumulator } from './tool-call-accumulator.ts';

const UsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});

const EventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('message_start'),
    message: z.looseObject({ usage: UsageSchema.nullish() }),
  }),
  z.looseObject({
    type: z.literal('content_block_start'),
    index: z.number(),
    content_block: z.looseObject({
      type: z.string(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      id: z.string().nullish(),
      name: z.string().nullish(),
      input: z.unknown().optional(),
    }),
  }),
  z.looseObject({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.looseObject({
      type: z.string(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      partial_json: z.string().nullish(),
    }),
  }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish() }),
    usage: UsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
]);

/** Assembles Anthropic's Messages stream: text, thinking and tool_use blocks with `input_json_delta`. */
export class AnthropicAssembler implements StreamAssembler<unknown> {
  readonly #provider: string;
  readonly #tools = new ToolCallAccumulator();
  #content = '';
  #reasoning = '';
  #stopReason: string | null = null;
  #input: number | null = null;
  #output: number | null = null;
  #details: Record<string, number> = {};

  constructor(provider: string) {
    this.#provider = provider;
  }

  push(chunk: unknown): TurnEvent[] {
    const parsed = EventSchema.safeParse(chunk);
    if (!parsed.success) {
      const type = (chunk as { type?: unknown } | null)?.type;
      // Event types added after this was written are skipped, as the API's versioning policy asks.
      if (typeof type === 'string' && !KNOWN_TYPES.has(type)) return [];
      throw new MalformedResponseError({
        provider: this.#provider,
        detail: `a ${typeof type === 'string' ? type : 'stream'} event has the wrong shape`,
      });
    }
    const event = parsed.data;
    switch (event.type) {
      case 'message_start':
        this.#takeUsage(event.message.usage);
        return [];
      case 'content_block_start':
        return this.#blockStart(event.index, event.content_block);
      case 'content_block_delta':
        return this.#blockDelta(event.index, event.delta);
      case 'content_block_stop':
        return this.#tools.has(event.index) ? this.#tools.end(event.index, true) : [];
      case 'message_delta':
        if (event.delta.stop_reason) this.#stopReason = event.delta.stop_reason;
        this.#takeUsage(event.usage);
        return [];
      default:
        return [];
    }
  }

  #blockStart(
    index: number,
    block: {
      type: string;
      text?: string | null;
      thinking?: string | null;
      id?: string | null;
      name?: string | null;
    },
  ): TurnEvent[] {
    if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      return this.#tools.begin(index, block.id, block.name);
    }
    if (block.type === 'text' && block.text) return this.#text(block.text);
    if (block.type === 'thinking' && block.thinking) return this.#thinking(block.thinking);
    return [];
  }

  #blockDelta(
    index: number,
    delta: { type: string; text?: string | null; thinking?: string | null; partial_json?: string | null },
  ): TurnEvent[] {
    if (delta.type === 'text_delta' && delta.text) return this.#text(delta.text);
    if (delta.type === 'thinking_delta' && delta.thinking) return this.#thinking(delta.thinking);
    if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      if (delta.partial_json === '')
        return this.#tools.has(index) ? [] : this.#tools.begin(index, null, null);
      return this.#tools.append(index, delta.partial_json);
    }
    return [];
  }

  #text(text: string): TurnEvent[] {
    this.#content += text;
    return [{ type: 'text-delta', text }];
  }

  #thinking(text: string): TurnEvent[] {
    this.#reasoning += text;
    return [{ type: 'reasoning-delta', text }];
  }

  #takeUsage(usage: z.infer<typeof UsageSchema> | null | undefined): void {
    if (!usage) return;
    if (typeof usage.input_tokens === 'number') this.#input = usage.input_tokens;
    if (typeof usage.output_tokens === 'number') this.#output = usage.output_tokens;
    if (typeof usage.cache_read_input_tokens === 'number')
      this.#details.cachedInputTokens = usage.cache_read_input_tokens;
    if (typeof usage.cache_creation_input_tokens === 'number') {
      this.#details.cacheCreationInputTokens = usage.cache_creation_input_tokens;
    }
  }

  finishReason(): FinishReason | null {
    switch (this.#stopReason) {
      case null:
        return null;
      case 'max_tokens':
      case 'model_context_window_exceeded':
        return 'length';
      case 'tool_use':
        return 'tool-calls';
      default:
        return 'stop';
    }
  }

  /** Blocks without `content_block_stop` were cut (max_tokens, a dropped stream): never complete. */
  close(_finished: boolean): TurnEvent[] {
    return this.#tools.endAll(false);
  }

  message(): AssembledMessage {
    // A tool_use block's `input` starts as {} when streamed; an empty argument text therefore means {}.
    return { content: this.#content, reasoning: this.#reasoning, toolCalls: this.#tools.list() };
  }

  usage(): TokenUsage | null {
    if (this.#input === null && this.#output === null) return null;
    const usage: TokenUsage = { inputTokens: this.#input, outputTokens: this.#output };
    if (Object.keys(this.#details).length > 0) usage.details = { ...this.#details };
    return usage;
  }
}

const KNOWN_TYPES = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
]);
