/**
 * `openai-sft`: one line per conversation in OpenAI's chat fine-tuning format,
 * `{"messages": [...], "tools": [...]}` (docs/datasets.md). Assistant turns the person rejected or corrected
 * carry `"weight": 0`, so a trainer learns only from the ones they let stand.
 */
import type { DatasetBuilder } from './dataset-format.ts';
import { OFFERED_TOOLS, type OpenAIChatMessage, openAIChatMessage } from './openai-messages.ts';
import { sftConversation } from './sft-conversation.ts';

export const openAISftBuilder: DatasetBuilder = {
  format: 'openai-sft',
  description:
    "One conversation's current path in OpenAI's chat fine-tuning format (messages with tool calls and tool " +
    'results, and the tools offered); assistant turns the person rejected or corrected carry weight 0.',
  *examples(record, options) {
    const turns = sftConversation(record, options);
    if (turns.length === 0) return;
    const messages = turns.map((turn): OpenAIChatMessage => {
      const message = openAIChatMessage(turn);
      if (turn.untrained) message.weight = 0;
      return message;
    });
    yield {
      value: { messages, tools: OFFERED_TOOLS },
      source: 'conversation',
      conversationId: record.conversation.id,
    };
  },
};
