/**
 * Transcript messages in TRL's conversational shape (`{role, content}`, as Hugging Face chat templates read
 * them): tool calls as `{id, type: 'function', function: {name, arguments}}` with the arguments as a JSON
 * object (templates render them with `tojson`; a string would be quoted twice), tool results as
 * `{role: 'tool', tool_call_id, name, content}`. Content is always a string ('' beside tool calls), so every
 * row of a column has one type when the `datasets` library reads the file.
 */
import type { TranscriptMessage } from './chat-transcript.ts';

export interface TrlMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: unknown } }[];
  tool_call_id?: string;
  name?: string;
}

function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Left as text: the line rules report it as invalid rather than guessing what the model meant.
    return text;
  }
}

/** `messages` in TRL's shape; a tool result is named after the call it answers. */
export function trlMessages(messages: readonly TranscriptMessage[]): TrlMessage[] {
  const callNames = new Map<string, string>();
  return messages.map((message): TrlMessage => {
    if (message.role === 'tool') {
      const result: TrlMessage = {
        role: 'tool',
        content: message.content,
        tool_call_id: message.toolCallId ?? '',
      };
      const name = callNames.get(message.toolCallId ?? '');
      if (name !== undefined) result.name = name;
      return result;
    }
    const result: TrlMessage = { role: message.role, content: message.content };
    if (message.role === 'assistant' && message.toolCalls !== undefined && message.toolCalls.length > 0) {
      result.tool_calls = message.toolCalls.map((call) => {
        callNames.set(call.id, call.name);
        return {
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: parsedArguments(call.arguments) },
        };
      });
    }
    return result;
  });
}
