/**
 * OpenAI's chat fine-tuning rules for one list of messages, for openai-sft lines and the conversations in
 * openai-dpo lines. The checks of OpenAI's cookbook notebook "Data preparation and analysis for chat model
 * fine-tuning" (data type, messages list, role and content keys, no unrecognised keys, known roles, textual
 * content, an assistant message), extended as OpenAI's fine-tuning guide extends the format for tools: role
 * `tool` with `tool_call_id`, assistant `tool_calls` (then `content` may be null), `weight` 0 or 1 on assistant
 * messages only. Ours on top: every tool call is answered before the next turn (the last message's calls
 * need no answer), and every tool result answers a call.
 */
import { invalid, isObject, type LineProblem } from './line-problem.ts';

const MESSAGE_KEYS = new Set(['role', 'content', 'name', 'weight', 'tool_calls', 'tool_call_id']);
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface OpenAIMessagesRules {
  /** An SFT line needs an assistant message with weight other than 0; a DPO prompt must not end with one. */
  needsTrainedAssistant: boolean;
}

/**
 * The first problem of `messages`, or null when OpenAI would take them.
 *
 * @example validateOpenAIMessages([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }], { needsTrainedAssistant: true }) // null
 */
export function validateOpenAIMessages(messages: unknown, rules: OpenAIMessagesRules): LineProblem | null {
  if (!Array.isArray(messages) || messages.length === 0) return invalid('missing_messages_list: no messages');
  let pending: Set<string> | null = null;
  for (const [index, message] of messages.entries()) {
    const at = `message ${index + 1}`;
    if (!isObject(message)) return invalid(`data_type: ${at} is not an object`);
    if (!('role' in message) || !('content' in message)) {
      return invalid(`message_missing_key: ${at} lacks role or content`);
    }
    const unknownKey = Object.keys(message).find((key) => !MESSAGE_KEYS.has(key));
    if (unknownKey !== undefined) return invalid(`message_unrecognized_key: ${at} has "${unknownKey}"`);
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return invalid(`unrecognized_role: ${at} has role ${JSON.stringify(role)}`);
    }
    if (message.name !== undefined && (typeof message.name !== 'string' || !NAME.test(message.name))) {
      return invalid(`${at}: name must match ^[a-zA-Z0-9_-]{1,64}$`);
    }
    if (
      message.weight !== undefined &&
      (role !== 'assistant' || (message.weight !== 0 && message.weight !== 1))
    ) {
      return invalid(`${at}: weight must be 0 or 1, and only on an assistant message`);
    }
    const calls = message.tool_calls;
    if (calls !== undefined && role !== 'assistant')
      return invalid(`${at}: only an assistant makes tool_calls`);
    const hasCalls = Array.isArray(calls) && calls.length > 0;
    const content = message.content;
    const contentOk = typeof content === 'string' ? content !== '' || hasCalls : content === null && hasCalls;
    if (!contentOk) return invalid(`missing_content: ${at} has no text content`);

    if (role === 'tool') {
      const id = message.tool_call_id;
      if (typeof id !== 'string' || pending === null || !pending.has(id)) {
        return invalid(`${at}: a tool result that answers no open tool call (${JSON.stringify(id)})`);
      }
      pending.delete(id);
      continue;
    }
    if (message.tool_call_id !== undefined) return invalid(`${at}: tool_call_id on a ${role} message`);
    if (pending !== null && pending.size > 0) {
      return invalid(`${at}: tool call ${[...pending][0]} is not answered before the next turn`);
    }
    pending = null;
    if (calls !== undefined) {
      const problem = toolCallsProblem(calls, at);
      if (problem !== null) return invalid(problem);
      pending = new Set((calls as { id: string }[]).map((call) => call.id));
    }
  }
  // Calls of the last message need no result: the example teaches making them (OpenAI's own examples end so).
  const last = messages[messages.length - 1] as { tool_calls?: unknown };
  if (pending !== null && pending.size > 0 && last.tool_calls === undefined) {
    return invalid(`tool call ${[...pending][0]} is never answered`);
  }
  const assistants = messages.filter((message) => (message as { role: string }).role === 'assistant');
  if (rules.needsTrainedAssistant) {
    if (assistants.length === 0) return { reason: 'empty', problem: 'example_missing_assistant_message' };
    if (assistants.every((message) => (message as { weight?: number }).weight === 0)) {
      return { reason: 'empty', problem: 'every assistant message has weight 0' };
    }
  }
  return null;
}

function toolCallsProblem(calls: unknown, at: string): string | null {
  if (!Array.isArray(calls) || calls.length === 0) return `${at}: tool_calls must be a non-empty list`;
  const ids = new Set<string>();
  for (const call of calls) {
    if (!isObject(call) || call.type !== 'function' || typeof call.id !== 'string' || call.id === '') {
      return `${at}: a tool call needs an id and type "function"`;
    }
    if (ids.has(call.id)) return `${at}: tool call id ${call.id} is used twice`;
    ids.add(call.id);
    const fn = call.function;
    if (!isObject(fn) || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') {
      return `${at}: tool call ${call.id} needs function.name and function.arguments as strings`;
    }
    try {
      JSON.parse(fn.arguments);
    } catch {
      return `${at}: tool call ${call.id}'s arguments are not valid JSON`;
    }
  }
  return null;
}
