/**
 * `trl-sft`: TRL's conversational language-modeling format for SFTTrainer, `{"messages": [...], "tools":
 * [...]}` (docs/datasets.md): one line per conversation (its current path) and one per test-fix pair. TRL
 * has no per-turn weight, so a conversation ends before the first assistant turn the person rejected or
 * corrected (sft-conversation.ts, trainedPrefix).
 */
import type { DatasetBuilder } from './dataset-format.ts';
import { OFFERED_TOOLS } from './openai-messages.ts';
import { trainedPrefix } from './sft-conversation.ts';
import { sftExamples } from './sft-examples.ts';
import { trlMessages } from './trl-messages.ts';

export const trlSftBuilder: DatasetBuilder = {
  format: 'trl-sft',
  description:
    "One conversation's current path (or one test-fix pair) in TRL's conversational format with its tools, " +
    'up to the first assistant turn the person rejected or corrected.',
  *examples(record, options) {
    for (const example of sftExamples(record, { ...options, authorNames: 'prefix' })) {
      const turns = example.source === 'conversation' ? trainedPrefix(example.turns) : example.turns;
      yield {
        value: { messages: trlMessages(turns), tools: OFFERED_TOOLS },
        source: example.source,
        conversationId: record.conversation.id,
      };
    }
  },
};
