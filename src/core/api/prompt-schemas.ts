/**
 * The prompt library and summaries API (issue 8 item 7): named system prompts a conversation can start
 * from, and summary messages standing for a range of a path.
 */
import { z } from 'zod';
import { MessageSchema } from './schemas.ts';

const id = z.string().min(1).max(100);
const name = z.string().trim().min(1).max(200);
const content = z.string().max(200_000);

export const PromptSchema = z.object({
  id,
  name: z.string(),
  content: z.string(),
  /** The account that saved it (team server); null without accounts. */
  accountId: id.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PromptDto = z.infer<typeof PromptSchema>;

/** `GET /api/prompts`: the library by name, and the built-in prompt a new conversation starts with. */
export const PromptListSchema = z.object({
  prompts: z.array(PromptSchema),
  defaultPrompt: z.object({ name: z.string(), content: z.string() }),
});
export type PromptListDto = z.infer<typeof PromptListSchema>;

export const NewPromptBody = z.strictObject({ name, content });
export type NewPromptBodyDto = z.infer<typeof NewPromptBody>;

export const PromptPatchBody = z
  .strictObject({ name: name.optional(), content: content.optional() })
  .refine((body) => body.name !== undefined || body.content !== undefined, {
    message: 'give name, content, or both',
  });
export type PromptPatchBodyDto = z.infer<typeof PromptPatchBody>;

/**
 * `POST /api/conversations/:id/summaries`: the checked messages from one message of the current path to
 * another (either order) become one summary; without `content` the conversation's model drafts it.
 */
export const NewSummaryBody = z.strictObject({
  fromMessageId: id,
  toMessageId: id,
  content: z.string().trim().min(1).max(5_000_000).optional(),
});
export type NewSummaryBodyDto = z.infer<typeof NewSummaryBody>;

/** The summary message and its originals as they are after the change (unchecked, or checked on undo). */
export const SummaryResultSchema = z.object({
  summary: MessageSchema,
  originals: z.array(MessageSchema),
});
export type SummaryResultDto = z.infer<typeof SummaryResultSchema>;
