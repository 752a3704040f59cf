import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { parseToolArguments } from '../core/context/parse-tool-arguments.ts';
import type { ProviderMessage } from '../core/provider.ts';

/**
 * node-llama-cpp's chat history from provider-neutral messages: a tool result becomes the `result` of the
 * function call in the model response it answers (that is where its chat wrappers render results).
 */
export function toLlamaHistory(messages: readonly ProviderMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    if (message.role === 'system') {
      history.push({ type: 'system', text: message.content });
    } else if (message.role === 'user') {
      history.push({ type: 'user', text: message.content });
    } else if (message.role === 'assistant') {
      const response: ChatModelResponse['response'] = [];
      if (message.content !== '') response.push(message.content);
      for (const call of message.toolCalls ?? []) {
        const parsed = parseToolArguments(call.arguments);
        const item: ChatModelFunctionCall = {
          type: 'functionCall',
          name: call.name,
          params: parsed.ok ? parsed.value : {},
          result: null,
        };
        calls.set(call.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else {
      const call = message.toolCallId === undefined ? undefined : calls.get(message.toolCallId);
      if (call !== undefined) call.result = message.content;
      else history.push({ type: 'user', text: message.content });
    }
  }
  // The model answers after the last user turn; generation continues an empty model response.
  history.push({ type: 'model', response: [] });
  return history;
}
