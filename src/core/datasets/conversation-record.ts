/**
 * Everything stored about one conversation, as the dataset builders read it (issue 9): the whole message
 * tree with every revision, the exact model calls, the proposals with what really ran, the checkpoints'
 * metadata, the test runs and the review labels. The store's row source (src/store/dataset-source.ts) yields
 * one record at a time, so an export's memory follows the largest conversation, not the database.
 *
 * Pure data: builders in this folder turn records into lines and never read the store.
 */

import type { ModelCallDto } from '../api/model-schemas.ts';
import type { ExecutionDto, ProposalDto } from '../api/terminal-schemas.ts';
import type { CheckpointDto, TestRunDto } from '../api/workspace-schemas.ts';
import type { Conversation, Message, Revision } from '../domain.ts';

/** A message with all its revisions, oldest first (the last is the message's current content). */
export interface RecordMessage extends Omit<Message, 'siblingIds'> {
  revisions: Revision[];
}

/** A review label (issue 9 item 1) on a message, a proposal or the conversation itself. */
export interface RecordLabel {
  id: string;
  targetKind: 'message' | 'proposal' | 'conversation';
  targetId: string;
  /**
   * `rating` (value `good` | `bad`, with an optional `reason`), `tag` (value: the tag), `note` (value: the
   * text), `outcome` (on the conversation: `solved` | `failed` | `abandoned`).
   */
  name: 'rating' | 'tag' | 'note' | 'outcome';
  value: string;
  reason: string | null;
  accountId: string | null;
  createdAt: string;
}

export interface ConversationRecord {
  conversation: Conversation;
  /** Every message of the tree, deleted and unchecked ones included (builders decide what they take). */
  messages: RecordMessage[];
  modelCalls: ModelCallDto[];
  /** With `execution`: the latest one; `executions` below has them all. */
  proposals: ProposalDto[];
  executions: ExecutionDto[];
  checkpoints: CheckpointDto[];
  testRuns: TestRunDto[];
  labels: RecordLabel[];
}
