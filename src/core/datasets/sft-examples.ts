/**
 * The SFT examples of a record, for every SFT format: the current path's conversation (source
 * `conversation`) and the test-fix pairs (source `test-fix`: the request, then one assistant turn calling
 * the tools that made the tests pass). A format turns each into its line.
 */
import type { TranscriptMessage, TranscriptOptions } from './chat-transcript.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { type SftTurn, sftConversation } from './sft-conversation.ts';
import { testFixPairs } from './test-fix-pairs.ts';

export interface SftExample {
  source: 'conversation' | 'test-fix';
  turns: SftTurn[];
}

export function* sftExamples(record: ConversationRecord, options: TranscriptOptions): Generator<SftExample> {
  const turns = sftConversation(record, options);
  if (turns.length > 0) yield { source: 'conversation', turns };
  for (const pair of testFixPairs(record, options)) {
    const change: TranscriptMessage = {
      role: 'assistant',
      content: '',
      toolCalls: pair.calls,
      messageId: null,
    };
    yield {
      source: 'test-fix',
      turns: [...pair.prompt, change].map((turn) => ({ ...turn, untrained: false, rejected: false })),
    };
  }
}
