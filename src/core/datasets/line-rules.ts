/**
 * Each training format's rules for a whole line (issue 9 item 3): the first problem, or null when the line
 * may be written. exportDataset applies them after redaction, so a line is checked as it is written.
 */
import type { TrainingFormat } from './dataset-format.ts';
import { invalid, isObject, type LineProblem } from './line-problem.ts';
import { validateOpenAIMessages } from './validate-openai-chat.ts';
import { toolsProblem } from './validate-tools.ts';

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

const VALIDATORS: Partial<Record<TrainingFormat, LineValidator>> = {
  'openai-sft': validateOpenAISft,
};

/** The validator of `format`; every format has one. */
export function lineValidator(format: TrainingFormat): LineValidator {
  const validator = VALIDATORS[format];
  if (validator === undefined) throw new Error(`no line rules for ${format}`);
  return validator;
}
