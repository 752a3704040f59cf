import * as specs from 'gpt-tokenizer/models';
import type { ProviderMessage, TokenCount, ToolDefinition } from '../core/provider.ts';
import { estimateTokens } from './estimate-tokens.ts';

interface Spec {
  context_window?: number;
  max_output_tokens?: number;
  supported_features?: readonly string[];
}

const catalog = specs as unknown as Record<string, Spec | undefined>;

/** OpenAI's published window, output cap and tool support for a model, from gpt-tokenizer's catalog. */
export function openAIModelSpec(
  model: string,
): { contextWindow: number; maxOutputTokens: number | null; tools: boolean } | null {
  const spec = Object.hasOwn(catalog, model) ? catalog[model] : undefined;
  if (spec?.context_window === undefined) return null;
  return {
    contextWindow: spec.context_window,
    maxOutputTokens: spec.max_output_tokens ?? null,
    tools: spec.supported_features?.includes('function_calling') ?? false,
  };
}

interface ChatCounter {
  countChatCompletionTokens: (request: {
    messages: {
      role: string;
      content: string;
      name?: string;
      function_call?: { name: string; arguments: string };
    }[];
    functions?: { name: string; description?: string; parameters: Record<string, unknown> }[];
  }) => number;
}

/**
 * Tokens of a Chat Completions request for an OpenAI model with gpt-tokenizer's model-specific chat format:
 * exact for plain messages; tool definitions and calls follow OpenAI's undocumented rendering, which the
 * library approximates, so a request with tools is labelled an estimate.
 */
export async function countOpenAIChatTokens(
  model: string,
  messages: readonly ProviderMessage[],
  tools: readonly ToolDefinition[] | undefined,
): Promise<TokenCount> {
  if (openAIModelSpec(model) === null) return estimateTokens(messages, tools);
  let counter: ChatCounter;
  try {
    counter = (await import(`gpt-tokenizer/model/${model}`)) as ChatCounter;
  } catch {
    return estimateTokens(messages, tools);
  }
  const withTools =
    (tools?.length ?? 0) > 0 || messages.some((message) => (message.toolCalls?.length ?? 0) > 0);
  const chat = messages.map((message) => {
    const entry: {
      role: string;
      content: string;
      name?: string;
      function_call?: { name: string; arguments: string };
    } = { role: message.role, content: message.content };
    if (message.name !== undefined) entry.name = message.name;
    const [first, ...rest] = message.toolCalls ?? [];
    if (first !== undefined) entry.function_call = { name: first.name, arguments: first.arguments };
    if (rest.length > 0) entry.content += rest.map((call) => `${call.name}${call.arguments}`).join('');
    return entry;
  });
  const request: Parameters<ChatCounter['countChatCompletionTokens']>[0] = { messages: chat };
  if (tools !== undefined && tools.length > 0) {
    request.functions = tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    }));
  }
  const tokens = counter.countChatCompletionTokens(request);
  return withTools
    ? { tokens, exact: false, method: `estimate (${model} chat format; tools approximated)` }
    : { tokens, exact: true, method: `${model} chat format` };
}
