import { z } from 'zod';
import type { AssembledMessage, FinishReason, TokenUsage, TurnEvent } from '../core/provider.ts';
import { contentPieces } from './chat-content-parts.ts';
import { MalformedResponseError } from './errors/malformed-response-error.ts';
import type { StreamAssembler } from './stream-assembler.ts';
import { ToolCallAccumulator } from './tool-call-accumulator.ts';

const UsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

const ToolCallDeltaSchema = z.looseObject({
  index: z.number().optional(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

/**
 * A Chat Completions chunk, loosely: servers add fields (llama.cpp `timings`, OpenAI `obfuscation`), and a
 * chunk without `choices` (keep-alives, other APIs' events) carries nothing to assemble.
 */
const ChunkSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        delta: z
          .looseObject({
            // A string, or a list of typed parts (Mistral's reasoning models): read by `contentPieces`.
            content: z.unknown().optional(),
            refusal: z.string().nullish(),
            // DeepSeek, vLLM and llama.cpp use `reasoning_content`; OpenRouter and newer vLLM `reasoning`.
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            tool_calls: z.array(ToolCallDeltaSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: UsageSchema.nullish(),
});

/** Assembles an OpenAI Chat Completions stream (OpenAI and every server that copies it). */
export class OpenAIChatAssembler implements StreamAssembler<unknown> {
  readonly #provider: string;
  readonly #tools = new ToolCallAccumulator();
  #content = '';
  #reasoning = '';
  #finish: string | null = null;
  #usage: TokenUsage | null = null;

  constructor(provider: string) {
    this.#provider = provider;
  }

  push(chunk: unknown): TurnEvent[] {
    const parsed = ChunkSchema.safeParse(chunk);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MalformedResponseError({
        provider: this.#provider,
        detail: `a chunk has ${issue?.path.join('.') || 'a field'} ${issue?.message ?? 'of the wrong shape'}`,
      });
    }
    const events: TurnEvent[] = [];
    if (parsed.data.usage) {
      this.#usage = openAIUsage(parsed.data.usage);
    }
    // Only the first choice: we never ask for n > 1.
    const choice = parsed.data.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (choice === undefined) return events;
    const delta = choice.delta;
    const content = contentPieces(delta?.content);
    if (!content.ok) {
      throw new MalformedResponseError({ provider: this.#provider, detail: `a chunk's ${content.problem}` });
    }
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    const pieces = [
      ...(reasoning ? [{ kind: 'reasoning' as const, text: reasoning }] : []),
      ...content.pieces,
      ...(delta?.refusal ? [{ kind: 'text' as const, text: delta.refusal }] : []),
    ];
    for (const piece of pieces) {
      if (piece.kind === 'reasoning') {
        this.#reasoning += piece.text;
        events.push({ type: 'reasoning-delta', text: piece.text });
      } else {
        this.#content += piece.text;
        events.push({ type: 'text-delta', text: piece.text });
      }
    }
    for (const call of delta?.tool_calls ?? []) {
      const index = call.index ?? 0;
      if (!this.#tools.has(index)) {
        // A new index means the calls before it are done (they arrive one after another).
        for (const open of this.#tools.openIndexes()) events.push(...this.#tools.end(open, true));
      }
      events.push(...this.#tools.begin(index, call.id, call.function?.name));
      if (call.function?.arguments) events.push(...this.#tools.append(index, call.function.arguments));
    }
    if (choice.finish_reason) this.#finish = choice.finish_reason;
    return events;
  }

  finishReason(): FinishReason | null {
    if (this.#finish === null) return null;
    if (this.#finish === 'length') return 'length';
    if (this.#finish === 'tool_calls' || this.#finish === 'function_call') return 'tool-calls';
    // Some servers say `stop` after tool calls; what the turn carries is what matters to the agent.
    return this.#tools.list().length > 0 ? 'tool-calls' : 'stop';
  }

  close(finished: boolean): TurnEvent[] {
    return this.#tools.endAll(finished && this.#finish !== null);
  }

  message(): AssembledMessage {
    return { content: this.#content, reasoning: this.#reasoning, toolCalls: this.#tools.list() };
  }

  usage(): TokenUsage | null {
    return this.#usage;
  }
}

function openAIUsage(usage: z.infer<typeof UsageSchema>): TokenUsage {
  const details: Record<string, number> = {};
  const cached = usage.prompt_tokens_details?.cached_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof cached === 'number') details.cachedInputTokens = cached;
  if (typeof reasoning === 'number') details.reasoningTokens = reasoning;
  const result: TokenUsage = {
    inputTokens: usage.prompt_tokens ?? null,
    outputTokens: usage.completion_tokens ?? null,
  };
  if (Object.keys(details).length > 0) result.details = details;
  return result;
}
