/**
 * `trl-dpo`: TRL's conversational preference format for DPOTrainer, `{"prompt": [...], "chosen": [...],
 * "rejected": [...]}` (docs/datasets.md): one line per preference pair, `chosen` and `rejected` each the one
 * assistant message that follows the prompt.
 */
import type { DatasetBuilder } from './dataset-format.ts';
import { type PairTurn, preferencePairs } from './preference-pairs.ts';
import { trlMessages } from './trl-messages.ts';

function answer(turn: PairTurn) {
  return trlMessages([
    { role: 'assistant', content: turn.content, toolCalls: turn.toolCalls, messageId: null },
  ]);
}

export const trlDpoBuilder: DatasetBuilder = {
  format: 'trl-dpo',
  description:
    "One preference pair in TRL's conversational preference format: the prompt before a model's turn, the turn " +
    'the person preferred (chosen) and one they did not (rejected).',
  *examples(record, options) {
    for (const pair of preferencePairs(record, { ...options, authorNames: 'prefix' })) {
      const prompt = trlMessages(pair.prompt);
      yield {
        value: { prompt, chosen: answer(pair.chosen), rejected: answer(pair.rejected) },
        source: pair.source,
        conversationId: record.conversation.id,
      };
    }
  },
};
