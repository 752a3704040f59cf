import { z } from 'zod';
import type { AssembledMessage, FinishReason, TokenUsage, TurnEvent } from '../core/provider.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import type { StreamAssembler } from './stream-assembler.ts';
import { ToolCallAccumulator } from './tool-call-accumulator.ts';

const LineSchema = z.looseObject({
  message: z
    .looseObject({
      content: z.string().nullish(),
      thinking: z.string().nullish(),
      tool_calls: z
        .array(
          z.looseObject({
            id: z.string().nullish(),
            function: z.looseObject({ name: z.string(), arguments: z.unknown() }),
          }),
        )
        .nullish(),
    })
    .nullish(),
  done: z.boolean().nullish(),
  done_reason: z.string().nullish(),
  prompt_eval_count: z.number().nullish(),
  eval_count: z.number().nullish(),
  prompt_eval_cached_count: z.number().nullish(),
});

/**
 * Assembles Ollama's native `/api/chat` NDJSON stream. Tool calls arrive whole, arguments as JSON objects,
 * several on one line, sometimes without an id.
 */
export class OllamaAssembler implements StreamAssembler<unknown> {
  readonly #provider: string;
  readonly #tools = new ToolCallAccumulator();
  #content = '';
  #reasoning = '';
  #done: string | null = null;
  #usage: TokenUsage | null = null;
  #calls = 0;

  constructor(provider: string) {
    this.#provider = provider;
  }

  push(chunk: unknown): TurnEvent[] {
    const parsed = LineSchema.safeParse(chunk);
    if (!parsed.success) {
      throw new MalformedResponseError({
        provider: this.#provider,
        detail: 'a stream line has the wrong shape',
      });
    }
    const line = parsed.data;
    const events: TurnEvent[] = [];
    const thinking = line.message?.thinking;
    if (thinking) {
      this.#reasoning += thinking;
      events.push({ type: 'reasoning-delta', text: thinking });
    }
    const content = line.message?.content;
    if (content) {
      this.#content += content;
      events.push({ type: 'text-delta', text: content });
    }
    for (const call of line.message?.tool_calls ?? []) {
      const index = this.#calls;
      this.#calls += 1;
      const args = call.function.arguments;
      const text = typeof args === 'string' ? args : JSON.stringify(args ?? {});
      events.push(...this.#tools.begin(index, call.id, call.function.name));
      events.push(...this.#tools.append(index, text));
      events.push(...this.#tools.end(index, true));
    }
    if (line.done) {
      this.#done = line.done_reason ?? 'stop';
      const usage: TokenUsage = {
        inputTokens: line.prompt_eval_count ?? null,
        outputTokens: line.eval_count ?? null,
      };
      if (typeof line.prompt_eval_cached_count === 'number') {
        usage.details = { cachedInputTokens: line.prompt_eval_cached_count };
      }
      this.#usage = usage;
    }
    return events;
  }

  finishReason(): FinishReason | null {
    if (this.#done === null) return null;
    if (this.#done === 'length') return 'length';
    // Ollama says `stop` even when the turn is tool calls.
    return this.#tools.list().length > 0 ? 'tool-calls' : 'stop';
  }

  close(finished: boolean): TurnEvent[] {
    return this.#tools.endAll(finished);
  }

  message(): AssembledMessage {
    return { content: this.#content, reasoning: this.#reasoning, toolCalls: this.#tools.list() };
  }

  usage(): TokenUsage | null {
    return this.#usage;
  }
}
