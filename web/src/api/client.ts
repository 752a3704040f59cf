/**
 * The one typed client for the HTTP API (docs/api.md). Every answer is parsed with the schema the server uses,
 * so a drift between server and UI fails loudly here instead of as `undefined` deep in a component.
 */
import type { z } from 'zod';
import {
  ConversationListSchema,
  ConversationWithMessagesSchema,
  ErrorSchema,
  MessageListSchema,
  MessageSchema,
  MessageWindowSchema,
  RevisionListSchema,
  SearchResultSchema,
} from '../../../src/core/api/schemas.ts';
import type { Role } from '../../../src/core/domain.ts';
import type { WrittenToolCall } from '../lib/written-tool-calls.ts';
import { ApiRequestError, UNREACHABLE_STATUS } from './api-request-error.ts';
import type { ConversationSettingsPatch } from './conversation-settings.ts';
import { authorizationHeader, requestCredentials } from './session-token.ts';

export type Conversation = z.infer<typeof ConversationWithMessagesSchema>;
export type ConversationSettings = Conversation['settings'];
export type ConversationSummary = z.infer<typeof ConversationListSchema>['conversations'][number];
export type Message = z.infer<typeof MessageSchema>;
export type MessageWindow = z.infer<typeof MessageWindowSchema>;
export type Revision = z.infer<typeof RevisionListSchema>['revisions'][number];
export type SearchResult = z.infer<typeof SearchResultSchema>;
export type MessageHit = SearchResult['messages'][number];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request to the API, its answer parsed with `schema` (`null`: no body expected). */
export async function request<T>(
  method: Method,
  path: string,
  schema: z.ZodType<T> | null,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      // The token goes as a header from this origin's scripts only, with no cookie (issue 7 item 2); a team
      // server's session is the cookie, with its CSRF token as a header (team-session.ts).
      credentials: requestCredentials(),
      headers: {
        ...authorizationHeader(),
        ...(body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiRequestError(
      UNREACHABLE_STATUS,
      {
        code: 'unreachable',
        message: 'Cannot reach the ModelProgrammer server. Is `mp serve` still running?',
      },
      { cause },
    );
  }
  if (!response.ok) throw await errorFrom(response);
  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new ApiRequestError(
      response.status,
      {
        code: 'unexpected_response',
        message: `The server's answer to ${method} ${path} has an unexpected shape`,
      },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** The server's error for a failed response (its code, message and field), or a generic one with the status. */
export async function errorFrom(response: Response): Promise<ApiRequestError> {
  const text = await response.text();
  try {
    const parsed = ErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return new ApiRequestError(response.status, parsed.data.error);
  } catch {
    // Not JSON (a proxy, a crash page): fall through to a generic message with the status.
  }
  return new ApiRequestError(response.status, {
    code: 'http_error',
    message: `The server answered ${response.status} ${response.statusText}`.trim(),
  });
}

export const conversationPath = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;
export const messagePath = (id: string) => `/api/messages/${encodeURIComponent(id)}`;

export interface NewMessage {
  role: Role;
  author?: string;
  content: string;
  included?: boolean;
  parentId?: string | null;
  /** Call the model after adding (the composer's "Send to model"). */
  send?: boolean;
  /** Tool calls a person writes as the assistant (issue 8 item 2); snake_case arguments, as a model sends. */
  toolCalls?: WrittenToolCall[];
}

export const api = {
  async listConversations(): Promise<ConversationSummary[]> {
    return (await request('GET', '/api/conversations', ConversationListSchema)).conversations;
  },
  createConversation(body: { title?: string; description?: string } = {}): Promise<Conversation> {
    return request('POST', '/api/conversations', ConversationWithMessagesSchema, body);
  },
  /** The conversation with the newest `limit` messages of its path (the server's default when not given). */
  getConversation(
    id: string,
    options: { includeDeleted?: boolean; limit?: number } = {},
  ): Promise<Conversation> {
    const query = windowQuery(options);
    return request('GET', `${conversationPath(id)}${query}`, ConversationWithMessagesSchema);
  },
  /** A window of the path: the messages above `before`, or up to `through` (a message to jump to). */
  getMessages(
    id: string,
    options: { before?: string; through?: string; limit?: number; includeDeleted?: boolean },
  ): Promise<MessageWindow> {
    return request('GET', `${conversationPath(id)}/messages${windowQuery(options)}`, MessageWindowSchema);
  },
  updateConversation(
    id: string,
    patch: { title?: string; description?: string; startupScript?: string } & ConversationSettingsPatch,
  ): Promise<Conversation> {
    return request('PATCH', conversationPath(id), ConversationWithMessagesSchema, patch);
  },
  deleteConversation(id: string): Promise<void> {
    return request('DELETE', conversationPath(id), null);
  },
  restoreConversation(id: string): Promise<Conversation> {
    return request('POST', `${conversationPath(id)}/restore`, ConversationWithMessagesSchema, {});
  },
  createMessage(conversationId: string, body: NewMessage): Promise<Message> {
    return request('POST', `${conversationPath(conversationId)}/messages`, MessageSchema, body);
  },
  reviseMessage(id: string, content: string): Promise<Message> {
    return request('PATCH', messagePath(id), MessageSchema, { content });
  },
  setIncluded(id: string, included: boolean): Promise<Message> {
    return request('PATCH', messagePath(id), MessageSchema, { included });
  },
  async listRevisions(id: string): Promise<Revision[]> {
    return (await request('GET', `${messagePath(id)}/revisions`, RevisionListSchema)).revisions;
  },
  async deleteMessages(messageIds: string[]): Promise<Message[]> {
    return (await request('POST', '/api/messages/delete', MessageListSchema, { messageIds })).messages;
  },
  async restoreMessages(messageIds: string[]): Promise<Message[]> {
    return (await request('POST', '/api/messages/restore', MessageListSchema, { messageIds })).messages;
  },
  fork(conversationId: string, messageId: string): Promise<Conversation> {
    return request('POST', `${conversationPath(conversationId)}/fork`, ConversationWithMessagesSchema, {
      messageId,
    });
  },
  async copyMessages(conversationId: string, messageIds: string[]): Promise<Message[]> {
    const path = `${conversationPath(conversationId)}/copy`;
    return (await request('POST', path, MessageListSchema, { messageIds })).messages;
  },
  selectBranch(conversationId: string, messageId: string): Promise<Conversation> {
    return request('POST', `${conversationPath(conversationId)}/select`, ConversationWithMessagesSchema, {
      messageId,
    });
  },
  search(query: string): Promise<SearchResult> {
    return request('GET', `/api/search?q=${encodeURIComponent(query)}`, SearchResultSchema);
  },
};

function windowQuery(options: {
  before?: string;
  through?: string;
  limit?: number;
  includeDeleted?: boolean;
}): string {
  const query = new URLSearchParams();
  if (options.before !== undefined) query.set('before', options.before);
  if (options.through !== undefined) query.set('through', options.through);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.includeDeleted) query.set('includeDeleted', 'true');
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
