/**
 * What the dataset builders read of one conversation (issue 9): the whole message tree with every revision,
 * the proposals with what really ran, the test runs and the review labels. The exact model calls and the
 * checkpoints are left out: no format takes them, and a call's request holds its whole context, so reading
 * them would cost an export more than its messages (the dump writes them). The store's row source
 * (src/store/dataset-source.ts) yields one record at a time, so an export's memory follows the largest
 * conversation, not the database.
 *
 * Pure data: builders in this folder turn records into lines and never read the store.
 */

import type { ExecutionDto, ProposalDto } from '../api/terminal-schemas.ts';
import type { TestRunDto } from '../api/workspace-schemas.ts';
import type { ContextMessage } from '../context/assemble-context.ts';
import type { Conversation, Message, Revision } from '../domain.ts';

/**
 * A message as the builders read it: what context assembly reads (ContextMessage), its parent (for the
 * path), its status, and all its revisions, oldest first (the last is the message's current content). Only
 * these are read from the store: an export reads every message, and each field costs it a string per message.
 */
export interface RecordMessage extends ContextMessage, Pick<Message, 'parentId' | 'status'> {
  revisions: RecordRevision[];
}

/** A revision as the builders read it: who wrote which text, in which order. */
export type RecordRevision = Pick<Revision, 'number' | 'content' | 'editor'>;

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
  /** With `execution`: the latest one; `executions` below has them all. */
  proposals: ProposalDto[];
  executions: ExecutionDto[];
  testRuns: TestRunDto[];
  labels: RecordLabel[];
}
