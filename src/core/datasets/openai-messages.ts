/**
 * Transcript messages in OpenAI's chat shape (what openai-sft, openai-dpo and the TRL formats write):
 * `{role, content, name?, tool_calls?, tool_call_id?}`, as in a Chat Completions request
 * (src/core/context/openai-chat-request.ts), so a trained model reads what it will be sent.
 */
import { RUN_COMMAND_TOOL } from '../extract-proposals.ts';
import { FILE_ACTION_TOOLS } from '../file-edits/file-action-arguments.ts';
import type { TranscriptMessage } from './chat-transcript.ts';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  name?: string;
  tool_calls?: OpenAIToolCall[];
  tool_call_id?: string;
  weight?: 0 | 1;
}

export interface OpenAITool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The tools every model turn is offered (src/server/start-app.ts), in OpenAI's `tools` shape. */
export const OFFERED_TOOLS: OpenAITool[] = [RUN_COMMAND_TOOL, ...FILE_ACTION_TOOLS].map((tool) => ({
  type: 'function',
  function: {
    name: tool.name,
    description: tool.description,
    parameters: structuredClone(tool.parameters) as Record<string, unknown>,
  },
}));

export function openAIChatMessage(message: TranscriptMessage): OpenAIChatMessage {
  if (message.role === 'tool') {
    return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
  }
  const result: OpenAIChatMessage = { role: message.role, content: message.content };
  if (message.name !== undefined && message.role !== 'system') result.name = message.name;
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
