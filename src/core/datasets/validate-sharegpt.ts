/**
 * The ShareGPT layout as LLaMA-Factory checks it when it loads a dataset: `conversations` alternates, human
 * or observation at even positions and gpt or function_call at odd ones, so it has an even length; an
 * observation follows a function_call; `system` and `tools` are strings (tools: a JSON list of functions).
 */
import { invalid, isObject, type LineProblem } from './line-problem.ts';

const ASKING = new Set(['human', 'observation']);
const ANSWERING = new Set(['gpt', 'function_call']);

/**
 * @example validateShareGpt({ conversations: [{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello' }], system: '', tools: '[]' }) // null
 */
export function validateShareGpt(value: unknown): LineProblem | null {
  if (!isObject(value)) return invalid('the line is not an object');
  const extra = Object.keys(value).find((key) => !['conversations', 'system', 'tools'].includes(key));
  if (extra !== undefined) return invalid(`unrecognized key "${extra}"`);
  if (typeof value.system !== 'string' || typeof value.tools !== 'string') {
    return invalid('system and tools must be strings');
  }
  try {
    if (!Array.isArray(JSON.parse(value.tools))) return invalid('tools must be a JSON list of functions');
  } catch {
    return invalid('tools is not valid JSON');
  }
  const turns = value.conversations;
  if (!Array.isArray(turns)) return invalid('conversations must be a list');
  if (!turns.some((turn) => isObject(turn) && ANSWERING.has(turn.from as string))) {
    return { reason: 'empty', problem: 'no gpt or function_call turn to learn from' };
  }
  for (const [index, turn] of turns.entries()) {
    if (!isObject(turn) || typeof turn.from !== 'string' || typeof turn.value !== 'string') {
      return invalid(`turn ${index + 1} needs from and value strings`);
    }
    const expected = index % 2 === 0 ? ASKING : ANSWERING;
    if (!expected.has(turn.from)) {
      return invalid(
        `turn ${index + 1} is from ${turn.from}; expected ${[...expected].join(' or ')} (turns must alternate)`,
      );
    }
    if (turn.value === '') return invalid(`turn ${index + 1} is empty`);
    if (
      turn.from === 'observation' &&
      (turns[index - 1] as { from?: string } | undefined)?.from !== 'function_call'
    ) {
      return invalid(`turn ${index + 1}: an observation must follow a function_call`);
    }
    if (turn.from === 'function_call') {
      try {
        const call = JSON.parse(turn.value);
        const calls = Array.isArray(call) ? call : [call];
        if (!calls.every((one) => isObject(one) && typeof one.name === 'string' && isObject(one.arguments))) {
          return invalid(`turn ${index + 1}: a function_call is {"name", "arguments": {...}}`);
        }
      } catch {
        return invalid(`turn ${index + 1}: the function_call is not valid JSON`);
      }
    }
  }
  if (turns.length % 2 !== 0) return invalid('conversations must end with a gpt or function_call turn');
  return null;
}
