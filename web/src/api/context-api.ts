/** The prompt library and summaries (issue 8 item 7): what a conversation's context starts from and shrinks to. */
import {
  type NewPromptBodyDto,
  type PromptDto,
  type PromptListDto,
  PromptListSchema,
  PromptSchema,
  type SummaryResultDto,
  SummaryResultSchema,
} from '../../../src/core/api/prompt-schemas.ts';
import { conversationPath, messagePath, request } from './client.ts';

export type Prompt = PromptDto;
export type PromptList = PromptListDto;
export type SummaryResult = SummaryResultDto;

export const contextApi = {
  prompts(): Promise<PromptList> {
    return request('GET', '/api/prompts', PromptListSchema);
  },
  savePrompt(body: NewPromptBodyDto): Promise<Prompt> {
    return request('POST', '/api/prompts', PromptSchema, body);
  },
  /** The checked messages between two messages of the path become one summary; no `content`: the model drafts it. */
  summarize(
    conversationId: string,
    body: { fromMessageId: string; toMessageId: string; content?: string },
  ): Promise<SummaryResult> {
    return request('POST', `${conversationPath(conversationId)}/summaries`, SummaryResultSchema, body);
  },
  unsummarize(messageId: string): Promise<SummaryResult> {
    return request('POST', `${messagePath(messageId)}/unsummarize`, SummaryResultSchema, {});
  },
};
