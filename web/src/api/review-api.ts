/**
 * Review (issue 9 item 1) over the API: labels, their changes, the filtered conversation list and a
 * conversation's model calls. Answers are parsed with the server's own schemas (core/api/review-schemas.ts).
 */

import {
  type LabelChange,
  LabelChangeSchema,
  type LabelDto,
  LabelListSchema,
  type LabelTargetKind,
  type ModelCallListItem,
  ModelCallListSchema,
  type Outcome,
  type Rating,
} from '../../../src/core/api/review-schemas.ts';
import { ConversationListSchema } from '../../../src/core/api/schemas.ts';
import { type ConversationSummary, request } from './client.ts';

export type { LabelDto, ModelCallListItem, Outcome, Rating };
export interface LabelTarget {
  kind: LabelTargetKind;
  id: string;
}

/** The sidebar's filters; an empty one is left out of the query. */
export interface SidebarFilters {
  tag?: string;
  rating?: Rating | '';
  outcome?: Outcome | '';
  model?: string;
  since?: string;
  containing?: readonly string[];
}

const SEGMENTS: Record<LabelTargetKind, string> = {
  message: 'messages',
  proposal: 'proposals',
  conversation: 'conversations',
};
const base = (target: LabelTarget) => `/api/${SEGMENTS[target.kind]}/${encodeURIComponent(target.id)}`;

export function hasFilters(filters: SidebarFilters): boolean {
  return filterQuery(filters) !== '';
}

export function filterQuery(filters: SidebarFilters): string {
  const query = new URLSearchParams();
  for (const key of ['tag', 'rating', 'outcome', 'model', 'since'] as const) {
    const value = filters[key]?.trim();
    if (value) query.set(key, value);
  }
  if (filters.containing?.length) query.set('containing', filters.containing.join(','));
  return query.toString();
}

export const reviewApi = {
  async labels(conversationId: string): Promise<LabelDto[]> {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/labels`;
    return (await request('GET', path, LabelListSchema)).labels;
  },
  rate(target: LabelTarget, value: Rating, reason: string | null): Promise<LabelChange> {
    return request('PUT', `${base(target)}/rating`, LabelChangeSchema, { value, reason });
  },
  unrate(target: LabelTarget): Promise<LabelChange> {
    return request('DELETE', `${base(target)}/rating`, LabelChangeSchema);
  },
  tag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return request('POST', `${base(target)}/tags`, LabelChangeSchema, { tag });
  },
  untag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return request('DELETE', `${base(target)}/tags/${encodeURIComponent(tag)}`, LabelChangeSchema);
  },
  note(target: LabelTarget, text: string): Promise<LabelChange> {
    return request('PUT', `${base(target)}/note`, LabelChangeSchema, { text });
  },
  outcome(conversationId: string, outcome: Outcome | null): Promise<LabelChange> {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/outcome`;
    return request('PUT', path, LabelChangeSchema, { outcome });
  },
  async modelCalls(conversationId: string): Promise<ModelCallListItem[]> {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/model-calls`;
    return (await request('GET', path, ModelCallListSchema)).modelCalls;
  },
  async conversations(filters: SidebarFilters): Promise<ConversationSummary[]> {
    return (await request('GET', `/api/conversations?${filterQuery(filters)}`, ConversationListSchema))
      .conversations;
  },
};
