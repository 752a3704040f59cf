import type { ProviderMessage, TokenCount, ToolDefinition } from '../core/provider.ts';
import { countTokens } from '../core/token-count.ts';

/** Per-message framing most chat templates add (role markers, separators), roughly. */
const MESSAGE_OVERHEAD = 4;

/**
 * An o200k estimate of a request's input tokens for models whose tokenizer we do not have here; labelled
 * an estimate so the UI says so and the budget keeps a margin.
 */
export function estimateTokens(
  messages: readonly ProviderMessage[],
  tools: readonly ToolDefinition[] | undefined,
): TokenCount {
  let tokens = 3;
  for (const message of messages) {
    tokens += MESSAGE_OVERHEAD + countTokens(message.content);
    if (message.name !== undefined) tokens += 1 + countTokens(message.name);
    for (const call of message.toolCalls ?? [])
      tokens += MESSAGE_OVERHEAD + countTokens(call.name + call.arguments);
  }
  if (tools !== undefined && tools.length > 0) tokens += countTokens(JSON.stringify(tools));
  return { tokens, exact: false, method: 'estimate (o200k)' };
}
