import type { Workbench } from '../../agent/workbench.ts';
import {
  ConversationFilterQuery,
  type ConversationFilterQueryDto,
  conversationFiltersOf,
} from '../../core/api/review-schemas.ts';
import {
  ConversationListSchema,
  ConversationWithMessagesSchema,
  CopyMessagesBody,
  CreateConversationBody,
  ForkBody,
  MessageListSchema,
  MessageWindowQuery,
  SelectBranchBody,
  UpdateConversationBody,
} from '../../core/api/schemas.ts';
import { canShareConversation, viewerAccountId, workspaceConfinement } from '../../core/permissions.ts';
import { requirePermission } from '../access.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { HttpError } from '../http-errors.ts';

const OpenQuery = MessageWindowQuery.pick({ limit: true, includeDeleted: true });

export function conversationRoutes(workbench: Workbench): ApiRoute[] {
  return [
    defineRoute<undefined, ConversationFilterQueryDto>({
      method: 'GET',
      url: '/api/conversations',
      access: 'read',
      summary:
        'Live conversations, most recently changed first; the sidebar filters them (issue 9): `tag`, `rating` ' +
        '(good, bad), `outcome` (solved, failed, abandoned), `model`, `since` (a date or ISO time: changed ' +
        'since) and `containing` (message ids: conversations holding one of them or a copy of it). Repeat a ' +
        'filter or separate its values with commas to match any of them; different filters must all match',
      query: ConversationFilterQuery,
      response: ConversationListSchema,
      handler: async ({ actor, query }) => ({
        conversations: await workbench.listConversations(
          viewerAccountId(actor),
          conversationFiltersOf(query),
        ),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations',
      access: 'write',
      summary: 'Create a conversation',
      body: CreateConversationBody,
      response: ConversationWithMessagesSchema,
      status: 201,
      handler: ({ body }) => workbench.createConversation(body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id',
      access: 'read',
      target: 'conversation',
      summary:
        'A conversation with the newest window of its current path (oldest first), whether older messages ' +
        'exist, and totals for the whole path',
      query: OpenQuery,
      response: ConversationWithMessagesSchema,
      handler: ({ params, query }) =>
        workbench.getConversation(params.id!, {
          includeDeleted: query.includeDeleted === 'true',
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/conversations/:id',
      access: 'configure',
      target: 'conversation',
      summary: 'Change title, description, startup script, or model and terminal settings',
      body: UpdateConversationBody,
      response: ConversationWithMessagesSchema,
      handler: async ({ params, body, actor }) => {
        const { title, description, startupScript, visibility, ...settings } = body;
        if (visibility !== undefined) {
          const owner = await workbench.access.of('conversation', params.id!);
          if (owner !== undefined && !canShareConversation(actor, owner)) {
            throw new HttpError(
              403,
              'forbidden_owner',
              'only the account that made this conversation, or an admin, may change who sees it',
            );
          }
        }
        if (settings.sandbox === 'host') requirePermission(actor, 'run-on-host');
        return workbench.updateConversation(
          params.id!,
          {
            title,
            description,
            startupScript,
            settings,
            ...(visibility === undefined ? {} : { visibility }),
          },
          // A member's workspace must lie in their own folder on a team server (workspace-rules.ts).
          { confinedTo: workspaceConfinement(actor) },
        );
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/conversations/:id',
      access: 'write',
      target: 'conversation',
      summary: 'Tombstone a conversation (restore undoes it)',
      status: 204,
      handler: ({ params }) => workbench.deleteConversation(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/restore',
      access: 'write',
      target: 'conversation',
      summary: 'Undo the deletion of a conversation',
      response: ConversationWithMessagesSchema,
      handler: ({ params }) => workbench.restoreConversation(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/fork',
      access: 'write',
      target: 'conversation',
      summary: 'A new conversation holding copies of the path up to a message',
      body: ForkBody,
      bodyMessageIds: (body) => [body.messageId],
      response: ConversationWithMessagesSchema,
      status: 201,
      handler: ({ params, body }) => workbench.fork(params.id!, body.messageId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/copy',
      access: 'write',
      target: 'conversation',
      summary: 'Copy messages from any conversations into this one, in order, keeping where each came from',
      body: CopyMessagesBody,
      bodyMessageIds: (body) => [...body.messageIds, ...(body.parentId ? [body.parentId] : [])],
      response: MessageListSchema,
      status: 201,
      handler: async ({ params, body }) => ({
        messages: await workbench.copyMessages(params.id!, body.messageIds, body.parentId),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/select',
      access: 'write',
      target: 'conversation',
      summary: 'Make the branch through a message the current path',
      body: SelectBranchBody,
      bodyMessageIds: (body) => [body.messageId],
      response: ConversationWithMessagesSchema,
      handler: ({ params, body }) => workbench.selectBranch(params.id!, body.messageId),
    }),
  ];
}
