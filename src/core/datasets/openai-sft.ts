/**
 * `openai-sft`: OpenAI's chat fine-tuning format, `{"messages": [...], "tools": [...]}` (docs/datasets.md):
 * one line per conversation (its current path) and one per test-fix pair. Assistant turns the person
 * rejected or corrected carry `"weight": 0`, so a trainer learns only from the ones they let stand.
 */
import type { DatasetBuilder } from './dataset-format.ts';
import { OFFERED_TOOLS, type OpenAIChatMessage, openAIChatMessage } from './openai-messages.ts';
import { sftExamples } from './sft-examples.ts';

export const openAISftBuilder: DatasetBuilder = {
  format: 'openai-sft',
  description:
    "One conversation's current path (or one test-fix pair) in OpenAI's chat fine-tuning format: messages " +
    'with tool calls and tool results, and the tools offered; assistant turns the person rejected or ' +
    'corrected carry weight 0.',
  *examples(record, options) {
    for (const example of sftExamples(record, options)) {
      const messages = example.turns.map((turn): OpenAIChatMessage => {
        const message = openAIChatMessage(turn);
        if (turn.untrained) message.weight = 0;
        return message;
      });
      yield {
        value: { messages, tools: OFFERED_TOOLS },
        source: example.source,
        conversationId: record.conversation.id,
      };
    }
  },
};
