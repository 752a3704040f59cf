/**
 * Summaries (issue 8 item 7): a range of a conversation's path becomes one summary message, drafted by the
 * conversation's model (which needs `call-model`) or written by the person; undo checks the originals again.
 */
import type { Summaries } from '../../agent/summaries.ts';
import {
  NewSummaryBody,
  type NewSummaryBodyDto,
  SummaryResultSchema,
} from '../../core/api/prompt-schemas.ts';
import { requirePermission } from '../access.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function summaryRoutes(options: { summaries: Summaries }): ApiRoute[] {
  const { summaries } = options;
  return [
    defineRoute<NewSummaryBodyDto>({
      method: 'POST',
      url: '/api/conversations/:id/summaries',
      access: 'write',
      target: 'conversation',
      summary:
        'Summarize the checked messages from `fromMessageId` to `toMessageId` of the current path into one ' +
        'message at the leaf (`summarizes` lists them; they stay, unchecked); without `content` the ' +
        "conversation's model drafts it (its call is recorded), which needs the call-model permission",
      body: NewSummaryBody,
      bodyMessageIds: (body) => [body.fromMessageId, body.toMessageId],
      response: SummaryResultSchema,
      status: 201,
      handler: ({ params, body, actor }) => {
        if (body.content === undefined) requirePermission(actor, 'call-model');
        return summaries.summarize(params.id!, body);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/messages/:id/unsummarize',
      access: 'write',
      target: 'message',
      summary: 'Undo a summary: its originals are checked again and the summary unchecked (both are kept)',
      response: SummaryResultSchema,
      handler: ({ params }) => summaries.undo(params.id!),
    }),
  ];
}
