import type { Workbench } from '../../agent/workbench.ts';
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
import { type ApiRoute, defineRoute } from '../api-route.ts';

const OpenQuery = MessageWindowQuery.pick({ limit: true, includeDeleted: true });

export function conversationRoutes(workbench: Workbench): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/conversations',
      summary: 'Live conversations, most recently changed first',
      response: ConversationListSchema,
      handler: async () => ({ conversations: await workbench.listConversations() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations',
      summary: 'Create a conversation',
      body: CreateConversationBody,
      response: ConversationWithMessagesSchema,
      status: 201,
      handler: ({ body }) => workbench.createConversation(body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id',
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
      summary: 'Change title, description, startup script, or model and terminal settings',
      body: UpdateConversationBody,
      response: ConversationWithMessagesSchema,
      handler: ({ params, body }) => {
        const { title, description, startupScript, ...settings } = body;
        return workbench.updateConversation(params.id!, { title, description, startupScript, settings });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/conversations/:id',
      summary: 'Tombstone a conversation (restore undoes it)',
      status: 204,
      handler: ({ params }) => workbench.deleteConversation(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/restore',
      summary: 'Undo the deletion of a conversation',
      response: ConversationWithMessagesSchema,
      handler: ({ params }) => workbench.restoreConversation(params.id!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/fork',
      summary: 'A new conversation holding copies of the path up to a message',
      body: ForkBody,
      response: ConversationWithMessagesSchema,
      status: 201,
      handler: ({ params, body }) => workbench.fork(params.id!, body.messageId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/copy',
      summary: 'Copy messages from any conversations into this one, in order, keeping where each came from',
      body: CopyMessagesBody,
      response: MessageListSchema,
      status: 201,
      handler: async ({ params, body }) => ({
        messages: await workbench.copyMessages(params.id!, body.messageIds, body.parentId),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/select',
      summary: 'Make the branch through a message the current path',
      body: SelectBranchBody,
      response: ConversationWithMessagesSchema,
      handler: ({ params, body }) => workbench.selectBranch(params.id!, body.messageId),
    }),
  ];
}
