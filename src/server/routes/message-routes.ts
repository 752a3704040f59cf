import type { ModelTurns } from '../../agent/model-turns.ts';
import type { Workbench } from '../../agent/workbench.ts';
import {
  CreateMessageBody,
  MessageIdsBody,
  MessageListSchema,
  MessageSchema,
  MessageWindowQuery,
  MessageWindowSchema,
  RevisionListSchema,
  UpdateMessageBody,
} from '../../core/api/schemas.ts';
import { requirePermission } from '../access.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function messageRoutes(workbench: Workbench, turns?: ModelTurns): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/messages',
      access: 'read',
      target: 'conversation',
      summary:
        'A window of the current path, oldest first: the `limit` messages above `before` (default: the newest), ' +
        'or with `through` every message up to that one plus `limit` more; with totals for the whole path',
      query: MessageWindowQuery,
      queryMessageIds: (query) => [query.before, query.through].filter((id) => id !== undefined),
      response: MessageWindowSchema,
      handler: ({ params, query }) =>
        workbench.messageWindow(params.id!, {
          includeDeleted: query.includeDeleted === 'true',
          ...(query.before === undefined ? {} : { before: query.before }),
          ...(query.through === undefined ? {} : { through: query.through }),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/messages',
      access: 'write',
      target: 'conversation',
      summary: 'Add a message after the current leaf (or under parentId); with send, then call the model',
      body: CreateMessageBody,
      bodyMessageIds: (body) => (body.parentId ? [body.parentId] : []),
      response: MessageSchema,
      status: 201,
      handler: async ({ params, body, actor }) => {
        const { send, ...message } = body;
        if (!send || turns === undefined) return workbench.appendMessage(params.id!, message);
        requirePermission(actor, 'call-model');
        // Refuse before adding anything when no model can answer, so the person keeps their text.
        await turns.choose(params.id!);
        const added = await workbench.appendMessage(params.id!, message);
        await turns.start(params.id!);
        return added;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/messages/:id',
      access: 'write',
      target: 'message',
      summary: 'Edit a message (appends a revision) or toggle whether it is sent to the model',
      body: UpdateMessageBody,
      response: MessageSchema,
      handler: ({ params, body }) => workbench.updateMessage(params.id!, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/messages/:id/revisions',
      access: 'read',
      target: 'message',
      summary: 'Every revision of a message, oldest first',
      response: RevisionListSchema,
      handler: async ({ params }) => ({ revisions: await workbench.revisions(params.id!) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/messages/:id',
      access: 'write',
      target: 'message',
      summary: 'Tombstone a message (restore undoes it)',
      response: MessageSchema,
      handler: async ({ params }) => (await workbench.deleteMessages([params.id!]))[0],
    }),
    defineRoute({
      method: 'POST',
      url: '/api/messages/:id/restore',
      access: 'write',
      target: 'message',
      summary: 'Undo the deletion of a message',
      response: MessageSchema,
      handler: async ({ params }) => (await workbench.restoreMessages([params.id!]))[0],
    }),
    defineRoute({
      method: 'POST',
      url: '/api/messages/delete',
      access: 'write',
      summary: 'Tombstone several messages in one action',
      body: MessageIdsBody,
      bodyMessageIds: (body) => body.messageIds,
      response: MessageListSchema,
      handler: async ({ body }) => ({ messages: await workbench.deleteMessages(body.messageIds) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/messages/restore',
      access: 'write',
      summary: 'Restore several messages in one action',
      body: MessageIdsBody,
      bodyMessageIds: (body) => body.messageIds,
      response: MessageListSchema,
      handler: async ({ body }) => ({ messages: await workbench.restoreMessages(body.messageIds) }),
    }),
  ];
}
