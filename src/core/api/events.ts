/**
 * Live events, named noun-verb (STYLE.md). The server sends one JSON object per SSE message; clients refetch
 * what an event names, so events stay small and the API stays the one source of truth.
 */
import { z } from 'zod';
import { MessageSchema } from './schemas.ts';

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
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
