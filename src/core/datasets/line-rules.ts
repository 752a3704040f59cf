/**
 * Each training format's rules for a whole line (issue 9 item 3): the first problem, or null when the line
 * may be written. exportDataset applies them after redaction, so a line is checked as it is written.
 */
import type { TrainingFormat } from './dataset-format.ts';
import { invalid, isObject, type LineProblem } from './line-problem.ts';
import { validateOpenAIMessages } from './validate-openai-chat.ts';
import { validateShareGpt } from './validate-sharegpt.ts';
import { toolsProblem } from './validate-tools.ts';
import { validateTrlDpo, validateTrlSft } from './validate-trl.ts';

export type LineValidator = (value: unknown) => LineProblem | null;

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): LineProblem | null {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  return extra === undefined ? null : invalid(`unrecognized key "${extra}" on the line`);
}

function validateOpenAISft(value: unknown): LineProblem | null {
  if (!isObject(value)) return invalid('data_type: the line is not an object');
  const tools = toolsProblem(value.tools);
  if (tools !== null) return invalid(tools);
  return (
    onlyKeys(value, ['messages', 'tools', 'parallel_tool_calls']) ??
    validateOpenAIMessages(value.messages, { needsTrainedAssistant: true })
  );
}

/**
 * OpenAI's preference format: the input is a conversation by the chat rules that ends before the assistant's
 * turn; each output is that one assistant message.
 */
function validateOpenAIDpo(value: unknown): LineProblem | null {
  if (!isObject(value)) return invalid('data_type: the line is not an object');
  const keys = onlyKeys(value, ['input', 'preferred_output', 'non_preferred_output']);
  if (keys !== null) return keys;
  const input = value.input;
  if (!isObject(input)) return invalid('input must be an object with messages');
  const inputKeys = onlyKeys(input, ['messages', 'tools', 'parallel_tool_calls']);
  if (inputKeys !== null) return invalid(`input: ${inputKeys.problem}`);
  const tools = toolsProblem(input.tools);
  if (tools !== null) return invalid(tools);
  const prompt = validateOpenAIMessages(input.messages, { needsTrainedAssistant: false });
  if (prompt !== null) return invalid(`input: ${prompt.problem}`);
  const messages = input.messages as { role: string }[];
  if (messages[messages.length - 1]?.role === 'assistant')
    return invalid('input must not end with an assistant turn');
  for (const side of ['preferred_output', 'non_preferred_output'] as const) {
    const output = value[side];
    if (
      !Array.isArray(output) ||
      output.length !== 1 ||
      (output[0] as { role?: string })?.role !== 'assistant'
    ) {
      return invalid(`${side} must be one assistant message`);
    }
    const problem = validateOpenAIMessages([...messages, ...output], { needsTrainedAssistant: false });
    if (problem !== null) return invalid(`${side}: ${problem.problem}`);
    if (output.some((message) => 'weight' in (message as object)))
      return invalid(`${side}: no weight in DPO`);
  }
  if (JSON.stringify(value.preferred_output) === JSON.stringify(value.non_preferred_output)) {
    return invalid('preferred and non-preferred outputs are the same');
  }
  return null;
}

const VALIDATORS: Record<TrainingFormat, LineValidator> = {
  'openai-sft': validateOpenAISft,
  'openai-dpo': validateOpenAIDpo,
  'trl-sft': validateTrlSft,
  'trl-dpo': validateTrlDpo,
  sharegpt: validateShareGpt,
};

/** The validator of `format`. */
export function lineValidator(format: TrainingFormat): LineValidator {
  return VALIDATORS[format];
}
