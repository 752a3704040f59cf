/**
 * `openai-dpo`: OpenAI's preference fine-tuning format,
 * `{"input": {"messages": [...], "tools": [...]}, "preferred_output": [...], "non_preferred_output": [...]}`
 * (docs/datasets.md): one line per preference pair (preference-pairs.ts), each output a single assistant
 * message, the turn that follows the input.
 */
import type { DatasetBuilder } from './dataset-format.ts';
import { OFFERED_TOOLS, openAIChatMessage } from './openai-messages.ts';
import type { PairTurn } from './preference-pairs.ts';
import { preferencePairs } from './preference-pairs.ts';

function output(turn: PairTurn) {
  return [
    openAIChatMessage({
      role: 'assistant',
      content: turn.content,
      toolCalls: turn.toolCalls,
      messageId: null,
    }),
  ];
}

export const openAIDpoBuilder: DatasetBuilder = {
  format: 'openai-dpo',
  description:
    "One preference pair in OpenAI's DPO format: the conversation before a model's turn, the turn the person " +
    'preferred and one they did not (an edited message, a chosen regeneration, an edited or rejected tool call).',
  *examples(record, options) {
    for (const pair of preferencePairs(record, options)) {
      yield {
        value: {
          input: { messages: pair.prompt.map(openAIChatMessage), tools: OFFERED_TOOLS },
          preferred_output: output(pair.chosen),
          non_preferred_output: output(pair.rejected),
        },
        source: pair.source,
        conversationId: record.conversation.id,
      };
    }
  },
};
