/**
 * Live events, named noun-verb (STYLE.md). The server sends one JSON object per SSE message; clients refetch
 * what an event names, so events stay small and the API stays the one source of truth.
 */
import { z } from 'zod';
import { LabelSchema } from './review-schemas.ts';
import { MessageSchema, ToolCallSchema } from './schemas.ts';
import { ExecutionSchema, ProposalSchema } from './terminal-schemas.ts';
import { CheckpointSchema, TestRunSchema } from './workspace-schemas.ts';

export const LiveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation-created'), conversationId: z.string() }),
  z.object({ type: z.literal('conversation-updated'), conversationId: z.string() }),
  z.object({ type: z.literal('conversation-deleted'), conversationId: z.string() }),
  z.object({ type: z.literal('conversation-restored'), conversationId: z.string() }),
  z.object({ type: z.literal('message-created'), conversationId: z.string(), message: MessageSchema }),
  z.object({ type: z.literal('message-updated'), conversationId: z.string(), message: MessageSchema }),
  z.object({
    type: z.literal('messages-deleted'),
    conversationId: z.string(),
    messageIds: z.array(z.string()),
  }),
  z.object({
    type: z.literal('messages-restored'),
    conversationId: z.string(),
    messageIds: z.array(z.string()),
  }),
  z.object({ type: z.literal('revision-created'), conversationId: z.string(), messageId: z.string() }),
  z.object({ type: z.literal('branch-selected'), conversationId: z.string(), leafId: z.string() }),
  // Models (issue 3). Deltas carry only what arrived since the previous event for that message.
  z.object({
    type: z.literal('model-call-started'),
    conversationId: z.string(),
    modelCallId: z.string(),
    messageId: z.string(),
  }),
  z.object({
    type: z.literal('message-delta'),
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string().optional(),
    reasoning: z.string().optional(),
    /** The tool calls as they stand, arguments assembled so far. */
    toolCalls: z.array(ToolCallSchema).optional(),
  }),
  z.object({
    type: z.literal('model-call-retrying'),
    conversationId: z.string(),
    modelCallId: z.string(),
    seconds: z.number(),
    message: z.string(),
  }),
  z.object({
    type: z.literal('model-call-ended'),
    conversationId: z.string(),
    modelCallId: z.string(),
    messageId: z.string(),
    status: z.string(),
    error: z.string().nullable(),
  }),
  /** Automatic compaction (issue 8 item 7): the oldest messages were summarised so that a turn fits. */
  z.object({
    type: z.literal('context-compacted'),
    conversationId: z.string(),
    summaryMessageId: z.string(),
    messageIds: z.array(z.string()),
    /** For a person: what was summarised and how to undo it. */
    message: z.string(),
  }),
  // Terminal (issue 4).
  z.object({ type: z.literal('proposal-created'), conversationId: z.string(), proposal: ProposalSchema }),
  z.object({ type: z.literal('proposal-updated'), conversationId: z.string(), proposal: ProposalSchema }),
  /** A command waits for the conversation's shell (another command runs there); Interrupt cancels it. */
  z.object({ type: z.literal('command-queued'), conversationId: z.string(), execution: ExecutionSchema }),
  z.object({ type: z.literal('command-started'), conversationId: z.string(), execution: ExecutionSchema }),
  z.object({
    type: z.literal('command-output-delta'),
    conversationId: z.string(),
    executionId: z.string(),
    text: z.string(),
  }),
  z.object({ type: z.literal('command-ended'), conversationId: z.string(), execution: ExecutionSchema }),
  /** The workspace was snapshotted after a step, before one, or before a restore (issue 8 item 3). */
  z.object({
    type: z.literal('checkpoint-created'),
    conversationId: z.string(),
    checkpoint: CheckpointSchema,
  }),
  /** The workspace's files were put back as a checkpoint had them. */
  z.object({
    type: z.literal('checkpoint-restored'),
    conversationId: z.string(),
    checkpointId: z.string(),
  }),
  /** A run of the conversation's test command ended (issue 8 item 5). */
  z.object({ type: z.literal('test-run-created'), conversationId: z.string(), testRun: TestRunSchema }),
  /**
   * A review label changed (issue 9 item 1): `label` is the one now current (null after a removal), `removed`
   * the ones it tombstoned (a replaced rating, a removed tag).
   */
  z.object({
    type: z.literal('label-changed'),
    conversationId: z.string(),
    label: LabelSchema.nullable(),
    removed: z.array(LabelSchema),
  }),
  /**
   * Events may have been missed: refetch what you show of this conversation (null: of every conversation).
   * Sent by a server sharing its database with others when their events could not be relayed as they were
   * (one too large for PostgreSQL's NOTIFY; the connection that carries them dropped), issue 10 item 4.
   */
  z.object({ type: z.literal('resync'), conversationId: z.string().nullable() }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
