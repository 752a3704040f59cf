/**
 * Adding a message: the hot path of the app (every typed message, streamed answer and command result), so it
 * writes each row once and reads nothing that grows with the conversation (issue 7 item 9). Its own file
 * because its cost is measured on its own (`npm run bench -- store`); messages.ts holds what changes a
 * message after it exists.
 */
import type { Author, Editor, Message, MessageStatus, Role, ToolCall } from '../core/domain.ts';
import { InvalidRequestError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { countTokens } from '../core/token-count.ts';
import type { ConversationHead, ConversationRepository } from './conversations.ts';
import { siblingIds } from './message-branches.ts';
import { insertMessage, insertRevision } from './message-row.ts';
import { EMPTY_PATH_STATS, type PathStats, rowContribution, withContribution } from './path-stats.ts';
import { type MessageRow, toMessage } from './rows.ts';
import type { SearchIndex } from './search.ts';
import type { StoreDatabase } from './store-database.ts';

export interface NewMessage {
  role: Role;
  author: Author;
  /** Revision 1. Leave undefined for a model answer that is about to stream (see `finishDraft`). */
  content?: string;
  editor?: Editor;
  included?: boolean;
  /** Defaults to the conversation's current leaf; `null` starts a new root. */
  parentId?: string | null;
  status?: MessageStatus;
  toolCalls?: ToolCall[];
  toolCallId?: string | null;
  modelCallId?: string | null;
  sourceMessageId?: string | null;
  createdAt?: string;
  /** Whether the new message becomes the conversation's current leaf (default true). */
  makeCurrent?: boolean;
}

export class MessageAppend {
  readonly #database: StoreDatabase;
  readonly #conversations: ConversationRepository;
  readonly #searchIndex: SearchIndex;

  constructor(database: StoreDatabase, conversations: ConversationRepository, searchIndex: SearchIndex) {
    this.#database = database;
    this.#conversations = conversations;
    this.#searchIndex = searchIndex;
  }

  /**
   * Adds a message. It moves the leaf it read, so it runs in one transaction, with the conversation locked on
   * PostgreSQL (`head`).
   *
   * @example
   * const message = await store.transaction(() => append.add(conversationId, { role: 'user', author: 'human', content }));
   */
  add(conversationId: string, input: NewMessage): Promise<Message> {
    return this.#database.atomic(async () => {
      const head = await this.#conversations.head(conversationId);
      const parentId = input.parentId === undefined ? head.currentLeafId : input.parentId;
      // The leaf is a message of this conversation by construction: only another parent needs the check.
      if (parentId !== null && parentId !== head.currentLeafId)
        await this.#checkParent(conversationId, parentId);
      const id = newId();
      const at = input.createdAt ?? nowIso();
      const row: MessageRow = {
        id,
        conversation_id: conversationId,
        parent_id: parentId,
        role: input.role,
        author: input.author,
        included: input.included === false ? 0 : 1,
        status: input.status ?? 'complete',
        revision_count: input.content === undefined ? 0 : 1,
        source_message_id: input.sourceMessageId ?? null,
        tool_calls: JSON.stringify(input.toolCalls ?? []),
        tool_call_id: input.toolCallId ?? null,
        model_call_id: input.modelCallId ?? null,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        content: input.content ?? '',
        token_count: input.content === undefined ? 0 : countTokens(input.content),
        summarizes: null,
      };
      await insertMessage(this.#database, row);
      if (input.content !== undefined) {
        await insertRevision(this.#database, {
          messageId: id,
          number: 1,
          content: input.content,
          editor: input.editor ?? 'human',
          at,
          tokenCount: row.token_count,
        });
        await this.#searchIndex.queueMessage(id);
      }
      if (input.makeCurrent === false) {
        await this.#conversations.touch(conversationId, at);
      } else {
        await this.#conversations.advanceLeaf(conversationId, id, statsAfterAppend(head, row), at);
      }
      return toMessage(row, await this.#siblings(head, row));
    });
  }

  async #checkParent(conversationId: string, parentId: string): Promise<void> {
    const parent = await this.#database.db
      .selectFrom('messages')
      .select('conversation_id')
      .where('id', '=', parentId)
      .executeTakeFirst();
    if (!parent) throw new NotFoundError('message', parentId);
    if (parent.conversation_id !== conversationId) {
      throw new InvalidRequestError(`message ${parentId} belongs to another conversation`, 'parentId');
    }
  }

  /**
   * The new message's siblings. Under a leaf the head read found childless (the usual append) it has none, and
   * the lookup is skipped: a statement less on every append.
   */
  #siblings(head: ConversationHead, row: MessageRow): Promise<string[]> | string[] {
    if (row.parent_id !== null && row.parent_id === head.currentLeafId && head.leafHasChildren === false) {
      return [row.id];
    }
    return siblingIds(this.#database, row);
  }
}

/** The totals of the new path when the append extends the counted one (or starts a new root). */
function statsAfterAppend(head: ConversationHead, row: MessageRow): PathStats | null {
  const base =
    row.parent_id === null
      ? { leafId: row.id, ...EMPTY_PATH_STATS }
      : head.pathStats !== null && row.parent_id === head.currentLeafId
        ? head.pathStats
        : null;
  if (base === null) return null;
  return { ...withContribution(base, rowContribution(row), 1), leafId: row.id };
}
