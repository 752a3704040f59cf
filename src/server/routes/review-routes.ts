/**
 * Review (issue 9 item 1): rate a model message or a proposal, tag and annotate it or the conversation, set
 * the conversation's outcome, and list a conversation's labels and model calls. Reading needs `read`;
 * every change needs `label`, which reviewers have (they rate, tag and export, and change nothing else).
 */

import { z } from 'zod';
import type { Review } from '../../agent/review.ts';
import {
  LabelChangeSchema,
  LabelListSchema,
  type LabelTargetKind,
  ModelCallListSchema,
  NoteBody,
  type NoteBodyDto,
  OutcomeBody,
  type OutcomeBodyDto,
  RatingBody,
  type RatingBodyDto,
  TagBody,
  type TagBodyDto,
  TagSchema,
} from '../../core/api/review-schemas.ts';
import { InvalidRequestError } from '../../core/errors.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

const ListQuery = z.object({ includeRemoved: z.enum(['true', 'false']).optional() });

/** The path segment of each kind of target; the access check finds its conversation from `:id`. */
const SEGMENTS: Record<LabelTargetKind, string> = {
  message: 'messages',
  proposal: 'proposals',
  conversation: 'conversations',
};

export function reviewRoutes(options: { review: Review }): ApiRoute[] {
  const { review } = options;
  const rated: LabelTargetKind[] = ['message', 'proposal'];
  const tagged: LabelTargetKind[] = ['message', 'proposal', 'conversation'];
  return [
    defineRoute<undefined, z.infer<typeof ListQuery>>({
      method: 'GET',
      url: '/api/conversations/:id/labels',
      access: 'read',
      target: 'conversation',
      summary:
        'The current review labels of the conversation and of its messages and proposals (ratings, tags, ' +
        'notes, outcome), oldest first; `includeRemoved=true` adds the removed and replaced ones',
      query: ListQuery,
      response: LabelListSchema,
      handler: async ({ params, query }) => ({
        labels: await review.labels(params.id!, { includeRemoved: query.includeRemoved === 'true' }),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/model-calls',
      access: 'read',
      target: 'conversation',
      summary:
        'Every model call of the conversation, oldest first, those that produced no message included (a ' +
        'failed or stopped call, a legacy import): provider, model, status, tokens, duration',
      response: ModelCallListSchema,
      handler: async ({ params }) => ({ modelCalls: await review.modelCalls(params.id!) }),
    }),
    ...rated.flatMap((kind) => [
      defineRoute<RatingBodyDto>({
        method: 'PUT',
        url: `/api/${SEGMENTS[kind]}/:id/rating`,
        access: 'label',
        target: kind,
        summary: `Rate the ${kind} good or bad, with an optional reason; replaces your earlier rating of it`,
        body: RatingBody,
        response: LabelChangeSchema,
        handler: ({ params, body }) =>
          review.rate({ kind, id: params.id! }, { value: body.value, reason: body.reason ?? null }),
      }),
      defineRoute({
        method: 'DELETE',
        url: `/api/${SEGMENTS[kind]}/:id/rating`,
        access: 'label',
        target: kind,
        summary: `Remove your rating of the ${kind} (kept in its history)`,
        response: LabelChangeSchema,
        handler: ({ params }) => review.unrate({ kind, id: params.id! }),
      }),
    ]),
    ...tagged.flatMap((kind) => [
      defineRoute<TagBodyDto>({
        method: 'POST',
        url: `/api/${SEGMENTS[kind]}/:id/tags`,
        access: 'label',
        target: kind,
        summary: `Tag the ${kind} (a tag it has already is kept as it is)`,
        body: TagBody,
        response: LabelChangeSchema,
        handler: ({ params, body }) => review.tag({ kind, id: params.id! }, body.tag),
      }),
      defineRoute({
        method: 'DELETE',
        url: `/api/${SEGMENTS[kind]}/:id/tags/:tag`,
        access: 'label',
        target: kind,
        summary: `Remove a tag from the ${kind}, whoever added it (kept in its history)`,
        response: LabelChangeSchema,
        handler: ({ params }) => {
          const tag = TagSchema.safeParse(params.tag ?? '');
          if (!tag.success) throw new InvalidRequestError('a tag needs at least one character', 'tag');
          return review.untag({ kind, id: params.id! }, tag.data);
        },
      }),
      defineRoute<NoteBodyDto>({
        method: 'PUT',
        url: `/api/${SEGMENTS[kind]}/:id/note`,
        access: 'label',
        target: kind,
        summary: `Write your note on the ${kind}, replacing your earlier one; an empty text removes it`,
        body: NoteBody,
        response: LabelChangeSchema,
        handler: ({ params, body }) => review.note({ kind, id: params.id! }, body.text),
      }),
    ]),
    defineRoute<OutcomeBodyDto>({
      method: 'PUT',
      url: '/api/conversations/:id/outcome',
      access: 'label',
      target: 'conversation',
      summary:
        "Set the conversation's outcome (solved, failed or abandoned; one for everyone); null clears it",
      body: OutcomeBody,
      response: LabelChangeSchema,
      handler: ({ params, body }) => review.outcome(params.id!, body.outcome),
    }),
  ];
}
