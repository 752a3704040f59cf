import type { ProviderMessage, ToolDefinition } from '../provider.ts';
import { parseToolArguments } from './parse-tool-arguments.ts';

export interface OllamaChatRequestOptions {
  model: string;
  messages: readonly ProviderMessage[];
  tools?: readonly ToolDefinition[] | undefined;
  temperature?: number | undefined;
  maxOutputTokens?: number | null | undefined;
  /**
   * Sent as `num_ctx`: Ollama otherwise runs a model with its own small default window and silently drops
   * the start of a longer conversation, which is exactly the silent cut issue 3 forbids.
   */
  contextWindow: number;
}

/**
 * The body of Ollama's native `POST /api/chat` (NDJSON stream). Tool-call arguments are JSON objects here,
 * not strings, and a tool result names its tool.
 *
 * @example ollamaChatRequest({ model: 'llama3.2', messages, contextWindow: 8192 })
 */
export function ollamaChatRequest(options: OllamaChatRequestOptions): Record<string, unknown> {
  const toolNames = new Map<string, string>();
  const messages = options.messages.map((message) => {
    const result: Record<string, unknown> = { role: message.role, content: message.content };
    if (message.role === 'assistant' && message.toolCalls !== undefined && message.toolCalls.length > 0) {
      result.tool_calls = message.toolCalls.map((call) => {
        toolNames.set(call.id, call.name);
        const parsed = parseToolArguments(call.arguments);
        return { function: { name: call.name, arguments: parsed.ok ? parsed.value : {} } };
      });
    }
    if (message.role === 'tool' && message.toolCallId !== undefined) {
      const name = toolNames.get(message.toolCallId);
      if (name !== undefined) result.tool_name = name;
    }
    return result;
  });
  const body: Record<string, unknown> = { model: options.model, messages, stream: true };
  if (options.tools !== undefined && options.tools.length > 0) {
    body.tools = options.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  const modelOptions: Record<string, number> = { num_ctx: options.contextWindow };
  if (options.temperature !== undefined) modelOptions.temperature = options.temperature;
  if (options.maxOutputTokens !== undefined && options.maxOutputTokens !== null) {
    modelOptions.num_predict = options.maxOutputTokens;
  }
  body.options = modelOptions;
  return body;
}
