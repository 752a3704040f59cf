import type { ProviderMessage, ToolDefinition } from '../provider.ts';

export interface OpenAIChatRequestOptions {
  model: string;
  messages: readonly ProviderMessage[];
  tools?: readonly ToolDefinition[] | undefined;
  temperature?: number | undefined;
  maxOutputTokens?: number | null | undefined;
  /**
   * OpenAI itself wants `max_completion_tokens` (`max_tokens` is refused by its reasoning models); servers
   * that copy the API (vLLM, llama.cpp, Ollama, LM Studio, OpenRouter) all read `max_tokens`.
   */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Whether `name` may be sent on user/assistant messages. */
  names: boolean;
}

/**
 * The Chat Completions request body, exactly as it is sent: the preview shows this object and the
 * provider hands the same object to the SDK.
 *
 * @example
 * openAIChatRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], maxTokensField: 'max_completion_tokens', names: true })
 */
export function openAIChatRequest(options: OpenAIChatRequestOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: options.model,
    messages: options.messages.map((message) => openAIMessage(message, options.names)),
    stream: true,
    // Without it the stream carries no token usage at all.
    stream_options: { include_usage: true },
  };
  if (options.tools !== undefined && options.tools.length > 0) {
    body.tools = options.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.maxOutputTokens !== undefined && options.maxOutputTokens !== null) {
    body[options.maxTokensField] = options.maxOutputTokens;
  }
  return body;
}

function openAIMessage(message: ProviderMessage, names: boolean): Record<string, unknown> {
  if (message.role === 'tool') {
    return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
  }
  const result: Record<string, unknown> = { role: message.role, content: message.content };
  if (names && message.name !== undefined && message.role !== 'system') result.name = message.name;
  if (message.role === 'assistant' && message.toolCalls !== undefined && message.toolCalls.length > 0) {
    // An assistant turn that only calls tools has null content in OpenAI's own responses.
    if (message.content === '') result.content = null;
    result.tool_calls = message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return result;
}
