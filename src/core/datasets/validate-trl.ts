/**
 * TRL's documented column layouts (its "Dataset formats and types" guide), conversational form: a list of
 * `{role, content}` messages with string content; `messages` for language modeling (SFTTrainer), `prompt` /
 * `chosen` / `rejected` for preference (DPOTrainer), where chosen and rejected are the assistant's answer to
 * the prompt. Tool calls as Hugging Face chat templates read them: `{type: 'function', function: {name,
 * arguments: object}}`, each answered by a `tool` message before the next turn.
 */
import { invalid, isObject, type LineProblem } from './line-problem.ts';
import { toolsProblem } from './validate-tools.ts';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const KEYS = new Set(['role', 'content', 'tool_calls', 'tool_call_id', 'name']);

function messagesProblem(column: string, messages: unknown): string | null {
  if (!Array.isArray(messages) || messages.length === 0)
    return `${column} must be a non-empty list of messages`;
  const pending = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const at = `${column}[${index}]`;
    if (!isObject(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return `${at} needs a role of system, user, assistant or tool`;
    }
    if (typeof message.content !== 'string') return `${at}.content must be a string`;
    const extra = Object.keys(message).find((key) => !KEYS.has(key));
    if (extra !== undefined) return `${at} has an unrecognized key "${extra}"`;
    if (message.role === 'tool') {
      if (typeof message.tool_call_id !== 'string' || !pending.has(message.tool_call_id)) {
        return `${at} answers no open tool call`;
      }
      pending.delete(message.tool_call_id);
      continue;
    }
    if (pending.size > 0) return `${at}: tool call ${[...pending][0]} is not answered before the next turn`;
    if (message.role !== 'assistant' && message.content === '') return `${at} has no content`;
    if (message.tool_calls !== undefined) {
      if (
        message.role !== 'assistant' ||
        !Array.isArray(message.tool_calls) ||
        message.tool_calls.length === 0
      ) {
        return `${at}: tool_calls must be a non-empty list on an assistant message`;
      }
      for (const call of message.tool_calls) {
        if (!isObject(call) || call.type !== 'function' || !isObject(call.function)) {
          return `${at}: each tool call is {type: "function", function: {name, arguments}}`;
        }
        if (typeof call.function.name !== 'string' || !isObject(call.function.arguments)) {
          return `${at}: tool call arguments must be a JSON object (chat templates render them with tojson)`;
        }
        if (typeof call.id === 'string') pending.add(call.id);
      }
    } else if (message.role === 'assistant' && message.content === '') {
      return `${at} is an assistant message with neither content nor tool calls`;
    }
  }
  const last = messages[messages.length - 1] as { tool_calls?: unknown };
  if (pending.size > 0 && last.tool_calls === undefined)
    return `tool call ${[...pending][0]} is never answered`;
  return null;
}

/**
 * @example validateTrlSft({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] }) // null
 */
export function validateTrlSft(value: unknown): LineProblem | null {
  if (!isObject(value)) return invalid('the line is not an object');
  const extra = Object.keys(value).find((key) => key !== 'messages' && key !== 'tools');
  if (extra !== undefined) return invalid(`unrecognized column "${extra}"`);
  if (
    Array.isArray(value.messages) &&
    !value.messages.some((message) => isObject(message) && message.role === 'assistant')
  ) {
    return { reason: 'empty', problem: 'no assistant message to learn from' };
  }
  const problem = messagesProblem('messages', value.messages) ?? toolsProblem(value.tools);
  return problem === null ? null : invalid(problem);
}

export function validateTrlDpo(value: unknown): LineProblem | null {
  if (!isObject(value)) return invalid('the line is not an object');
  const extra = Object.keys(value).find((key) => !['prompt', 'chosen', 'rejected'].includes(key));
  if (extra !== undefined) return invalid(`unrecognized column "${extra}"`);
  const problem =
    messagesProblem('prompt', value.prompt) ??
    answerProblem('chosen', value.chosen) ??
    answerProblem('rejected', value.rejected);
  if (problem !== null) return invalid(problem);
  const prompt = value.prompt as { role: string }[];
  if (prompt[prompt.length - 1]?.role === 'assistant')
    return invalid('the prompt must not end with an assistant turn');
  if (JSON.stringify(value.chosen) === JSON.stringify(value.rejected))
    return invalid('chosen and rejected are the same');
  return null;
}

function answerProblem(column: string, messages: unknown): string | null {
  const problem = messagesProblem(column, messages);
  if (problem !== null) return problem;
  const list = messages as { role: string }[];
  return list.length === 1 && list[0]?.role === 'assistant'
    ? null
    : `${column} must be one assistant message`;
}
