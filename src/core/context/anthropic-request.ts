import type { ProviderMessage, ToolDefinition } from '../provider.ts';
import { authorPrefix } from './authors.ts';
import { parseToolArguments } from './parse-tool-arguments.ts';

export interface AnthropicRequestOptions {
  model: string;
  messages: readonly ProviderMessage[];
  tools?: readonly ToolDefinition[] | undefined;
  temperature?: number | undefined;
  /** Required by the Messages API. */
  maxTokens: number;
}

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

export interface AnthropicRequest {
  body: Record<string, unknown>;
  /** What had to change to satisfy the Messages API, for the preview. */
  notes: string[];
}

/**
 * The Messages API body: leading system messages become the `system` parameter, tool results become
 * `tool_result` blocks of a user turn, and consecutive turns of one role are merged, because the API
 * rejects two user (or two assistant) turns in a row.
 *
 * @example
 * anthropicRequest({ model: 'claude-sonnet-4-5', messages, maxTokens: 4096 }).body
 */
export function anthropicRequest(options: AnthropicRequestOptions): AnthropicRequest {
  const notes: string[] = [];
  const system: string[] = [];
  const turns: AnthropicMessage[] = [];
  let leading = true;

  for (const message of options.messages) {
    if (message.role === 'system' && leading) {
      system.push(message.content);
      continue;
    }
    leading = false;
    const { role, blocks } = toBlocks(message, notes);
    if (blocks.length === 0) {
      notes.push(`an empty ${message.role} message was left out (the Messages API refuses empty text)`);
      continue;
    }
    const last = turns.at(-1);
    if (last !== undefined && last.role === role) {
      last.content.push(...blocks);
    } else {
      turns.push({ role, content: blocks });
    }
  }

  const body: Record<string, unknown> = { model: options.model, max_tokens: options.maxTokens };
  if (system.length > 0) body.system = system.join('\n\n');
  body.messages = turns;
  if (options.tools !== undefined && options.tools.length > 0) {
    body.tools = options.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
    }));
  }
  if (options.temperature !== undefined) body.temperature = options.temperature;
  body.stream = true;
  return { body, notes };
}

function toBlocks(
  message: ProviderMessage,
  notes: string[],
): { role: 'user' | 'assistant'; blocks: Block[] } {
  if (message.role === 'tool') {
    return {
      role: 'user',
      blocks: [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: message.content }],
    };
  }
  if (message.role === 'system') {
    notes.push('a system message after the conversation started was sent as a user message marked [system]');
    return { role: 'user', blocks: textBlocks(`${authorPrefix('system')}${message.content}`) };
  }
  const blocks = textBlocks(message.content);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      const parsed = parseToolArguments(call.arguments);
      if (!parsed.ok) {
        notes.push(`tool call ${call.id} had arguments that are not a JSON object; sent with empty input`);
      }
      blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parsed.ok ? parsed.value : {} });
    }
    return { role: 'assistant', blocks };
  }
  return { role: 'user', blocks };
}

function textBlocks(text: string): Block[] {
  return text.trim() === '' ? [] : [{ type: 'text', text }];
}
