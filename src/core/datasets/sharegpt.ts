/**
 * `sharegpt`: the ShareGPT layout as LLaMA-Factory reads it, `{"conversations": [{"from", "value"}],
 * "system": "...", "tools": "..."}` (docs/datasets.md): turns from `human`, `gpt`, `function_call` (the call
 * as `{"name", "arguments"}` JSON; several calls as a JSON list) and `observation` (the tool results), with
 * human/observation turns at even positions and gpt/function_call at odd ones; `tools` is the functions'
 * JSON as a string. One line per conversation and per test-fix pair, cut like trl-sft before the first
 * assistant turn the person rejected or corrected.
 *
 * What the layout cannot hold: text an assistant wrote beside its tool calls (a `function_call` turn is the
 * call only; the text is left out) and two people's turns in a row (joined into one turn, blank line between).
 */
import type { TranscriptMessage } from './chat-transcript.ts';
import type { DatasetBuilder } from './dataset-format.ts';
import { OFFERED_TOOLS } from './openai-messages.ts';
import { trainedPrefix } from './sft-conversation.ts';
import { sftExamples } from './sft-examples.ts';

export interface ShareGptTurn {
  from: 'human' | 'gpt' | 'function_call' | 'observation';
  value: string;
}

const SHAREGPT_TOOLS = JSON.stringify(OFFERED_TOOLS.map((tool) => tool.function));

function callValue(message: TranscriptMessage): string {
  const calls = (message.toolCalls ?? []).map((call) => {
    let args: unknown = call.arguments;
    try {
      args = JSON.parse(call.arguments);
    } catch {
      // Kept as text; the line rules report the line.
    }
    return { name: call.name, arguments: args };
  });
  return JSON.stringify(calls.length === 1 ? calls[0] : calls);
}

/** The turns of `messages` (system messages after the first are a person's instructions: human turns). */
export function shareGptConversation(messages: readonly TranscriptMessage[]): {
  system: string;
  conversations: ShareGptTurn[];
} {
  let system = '';
  const turns: ShareGptTurn[] = [];
  const push = (from: ShareGptTurn['from'], value: string) => {
    const last = turns[turns.length - 1];
    // Two turns of one side in a row: one turn. Two calls in a row stay apart (each has its observation).
    if (
      last !== undefined &&
      last.from === from &&
      (from === 'human' || from === 'gpt' || from === 'observation')
    ) {
      last.value = `${last.value}\n\n${value}`;
      return;
    }
    turns.push({ from, value });
  };
  for (const [index, message] of messages.entries()) {
    if (message.role === 'system' && index === 0) system = message.content;
    else if (message.role === 'system') push('human', `[system] ${message.content}`);
    else if (message.role === 'user') push('human', message.content);
    else if (message.role === 'tool') push('observation', message.content);
    else if (message.toolCalls !== undefined && message.toolCalls.length > 0)
      push('function_call', callValue(message));
    else push('gpt', message.content);
  }
  return { system, conversations: turns };
}

export const shareGptBuilder: DatasetBuilder = {
  format: 'sharegpt',
  description:
    "One conversation's current path (or one test-fix pair) in the ShareGPT layout LLaMA-Factory reads " +
    '(human, gpt, function_call, observation), with the system prompt and the tools, up to the first ' +
    'assistant turn the person rejected or corrected.',
  *examples(record, options) {
    for (const example of sftExamples(record, { ...options, authorNames: 'prefix' })) {
      const turns = example.source === 'conversation' ? trainedPrefix(example.turns) : example.turns;
      const { system, conversations } = shareGptConversation(turns);
      yield {
        value: { conversations, system, tools: SHAREGPT_TOOLS },
        source: example.source,
        conversationId: record.conversation.id,
      };
    }
  },
};
