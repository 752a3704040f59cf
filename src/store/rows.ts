import { sql } from 'kysely';
import type {
  Conversation,
  ConversationSettings,
  Message,
  Revision,
  Role,
  ToolCall,
} from '../core/domain.ts';

export interface ConversationRow {
  id: string;
  title: string;
  description: string;
  startup_script: string;
  current_leaf_id: string | null;
  settings: string;
  forked_from_conversation_id: string | null;
  forked_from_message_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  owner_account_id: string | null;
  visibility: 'private' | 'team';
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    startupScript: row.startup_script,
    currentLeafId: row.current_leaf_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    forkedFromConversationId: row.forked_from_conversation_id,
    forkedFromMessageId: row.forked_from_message_id,
    settings: JSON.parse(row.settings) as ConversationSettings,
    ownerAccountId: row.owner_account_id,
    visibility: row.visibility,
  };
}

/** A message row joined with its current revision. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: Role;
  author: string;
  included: number;
  status: Message['status'];
  revision_count: number;
  source_message_id: string | null;
  tool_calls: string;
  tool_call_id: string | null;
  model_call_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  content: string;
  token_count: number;
  /** JSON list of the message ids a summary stands for; null for any other message. */
  summarizes: string | null;
}

/**
 * The columns of a MessageRow, for `sql` templates that read messages as `m` joined with their current
 * revision as `r` (CURRENT_REVISION_JOIN). Plain SQL both engines run alike: the aliases are lower case, so
 * PostgreSQL's folding leaves them as written.
 */
export const MESSAGE_COLUMNS =
  sql.raw(`m.id, m.conversation_id, m.parent_id, m.role, m.author, m.included, m.status,
  m.revision_count, m.source_message_id, m.tool_calls, m.tool_call_id, m.model_call_id, m.created_at,
  m.updated_at, m.deleted_at, m.summarizes, COALESCE(r.content, m.draft_content, '') AS content, COALESCE(r.token_count, 0) AS token_count`);

export const CURRENT_REVISION_JOIN = sql.raw(
  'LEFT JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count',
);

export function toMessage(row: MessageRow, siblingIds: string[] = [row.id]): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    author: row.author,
    included: row.included === 1,
    deleted: row.deleted_at !== null,
    content: row.content,
    revision: Math.max(row.revision_count, 1),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status,
    tokenCount: row.token_count,
    sourceMessageId: row.source_message_id,
    toolCalls: JSON.parse(row.tool_calls) as ToolCall[],
    toolCallId: row.tool_call_id,
    modelCallId: row.model_call_id,
    siblingIds,
    summarizes: row.summarizes === null ? null : (JSON.parse(row.summarizes) as string[]),
  };
}

export interface RevisionRow {
  id: string;
  message_id: string;
  number: number;
  content: string;
  editor: Revision['editor'];
  created_at: string;
  account_id: string | null;
  /** The account's name, joined from accounts (null when account_id is). */
  account_username: string | null;
}

export function toRevision(row: RevisionRow): Revision {
  return {
    id: row.id,
    messageId: row.message_id,
    number: row.number,
    content: row.content,
    editor: row.editor,
    createdAt: row.created_at,
    account:
      row.account_id === null
        ? null
        : { id: row.account_id, username: row.account_username ?? row.account_id },
  };
}
