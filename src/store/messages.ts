import type { Author, Editor, Message, MessageStatus, Revision, Role, ToolCall } from '../core/domain.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { countTokens } from '../core/token-count.ts';
import type { ConversationRepository } from './conversations.ts';
import { newestLeafUnder, siblingIds } from './message-branches.ts';
import { insertMessageCopy } from './message-copy.ts';
import type { SqliteDatabase } from './open-database.ts';
import { PathReader, type PathWindow, type PathWindowOptions } from './path-reader.ts';
import { EMPTY_PATH_STATS, type PathContribution, type PathStats, withContribution } from './path-stats.ts';
import { prepared } from './prepared.ts';
import {
  CURRENT_REVISION_JOIN,
  MESSAGE_COLUMNS,
  type MessageRow,
  type RevisionRow,
  toMessage,
  toRevision,
} from './rows.ts';
import type { SearchIndex } from './search.ts';

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

export class MessageRepository {
  readonly #db: SqliteDatabase;
  readonly #conversations: ConversationRepository;
  readonly #searchIndex: SearchIndex;
  readonly #paths: PathReader;

  constructor(db: SqliteDatabase, conversations: ConversationRepository, searchIndex: SearchIndex) {
    this.#db = db;
    this.#conversations = conversations;
    this.#searchIndex = searchIndex;
    this.#paths = new PathReader(db, conversations);
  }

  /**
   * Adds a message. The hot path of the app (every typed message, streamed answer and command result), so
   * it writes each row once and reads nothing that grows with the conversation (issue 7 item 9).
   */
  append(conversationId: string, input: NewMessage): Message {
    const head = this.#conversations.head(conversationId);
    const parentId = input.parentId === undefined ? head.currentLeafId : input.parentId;
    if (parentId !== null) {
      const parent = prepared<[string], { conversation_id: string }>(
        this.#db,
        'SELECT conversation_id FROM messages WHERE id = ?',
      ).get(parentId);
      if (!parent) throw new NotFoundError('message', parentId);
      if (parent.conversation_id !== conversationId) {
        throw new InvalidRequestError(`message ${parentId} belongs to another conversation`, 'parentId');
      }
    }
    const id = newId();
    const at = input.createdAt ?? nowIso();
    const toolCalls = JSON.stringify(input.toolCalls ?? []);
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
      tool_calls: toolCalls,
      tool_call_id: input.toolCallId ?? null,
      model_call_id: input.modelCallId ?? null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
      content: input.content ?? '',
      token_count: input.content === undefined ? 0 : countTokens(input.content),
    };
    prepared(
      this.#db,
      `INSERT INTO messages (id, conversation_id, parent_id, role, author, included, status, revision_count,
           source_message_id, tool_calls, tool_call_id, model_call_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      conversationId,
      parentId,
      row.role,
      row.author,
      row.included,
      row.status,
      row.revision_count,
      row.source_message_id,
      toolCalls,
      row.tool_call_id,
      row.model_call_id,
      at,
      at,
    );
    if (input.content !== undefined) {
      this.#insertRevision(
        id,
        1,
        { content: input.content, editor: input.editor ?? 'human', at },
        row.token_count,
      );
      this.#searchIndex.queueMessage(id);
    }
    if (input.makeCurrent === false) {
      this.#conversations.touch(conversationId, at);
    } else {
      this.#conversations.advanceLeaf(conversationId, id, this.#statsAfterAppend(head, row), at);
    }
    return toMessage(row, siblingIds(this.#db, row));
  }

  /** The totals of the new path when the append extends the counted one (or starts a new root). */
  #statsAfterAppend(
    head: { currentLeafId: string | null; pathStats: PathStats | null },
    row: MessageRow,
  ): PathStats | null {
    const base =
      row.parent_id === null
        ? { leafId: row.id, ...EMPTY_PATH_STATS }
        : head.pathStats !== null && row.parent_id === head.currentLeafId
          ? head.pathStats
          : null;
    if (base === null) return null;
    return { ...withContribution(base, contribution(row), 1), leafId: row.id };
  }

  /** Totals along the current path (see path-stats.ts). */
  pathStats(conversationId: string): PathStats | null {
    return this.#paths.stats(conversationId);
  }

  /** A window of the current path (see path-reader.ts). */
  window(conversationId: string, options: PathWindowOptions): PathWindow {
    return this.#paths.window(conversationId, options);
  }

  /** The messages from the root to the conversation's current leaf, oldest first. */
  path(conversationId: string, options: { includeDeleted?: boolean } = {}): Message[] {
    return this.#paths.path(conversationId, options);
  }

  get(id: string): Message {
    const row = this.#row(id);
    return toMessage(row, siblingIds(this.#db, row));
  }

  revisions(id: string): Revision[] {
    this.#row(id);
    return prepared<[string], RevisionRow>(
      this.#db,
      'SELECT * FROM message_revisions WHERE message_id = ? ORDER BY number',
    )
      .all(id)
      .map(toRevision);
  }

  /** Appends a revision; the earlier ones stay exactly as they were. Unchanged text adds nothing. */
  revise(id: string, content: string, editor: Editor, at: string = nowIso()): Message {
    const row = this.#liveRow(id);
    if (row.revision_count > 0 && row.content === content) return this.get(id);
    this.#addRevision(id, content, editor, at);
    prepared(this.#db, 'UPDATE messages SET updated_at = ? WHERE id = ?').run(at, id);
    this.#conversations.touch(row.conversation_id, at);
    return this.get(id);
  }

  setIncluded(id: string, included: boolean): Message {
    const row = this.#liveRow(id);
    const at = nowIso();
    prepared(this.#db, 'UPDATE messages SET included = ?, updated_at = ? WHERE id = ?').run(
      included ? 1 : 0,
      at,
      id,
    );
    this.#messageChanged(row);
    this.#conversations.touch(row.conversation_id, at);
    return this.get(id);
  }

  /** Streaming: keeps what has arrived so far without writing a revision. */
  updateDraft(id: string, draft: { content?: string; toolCalls?: ToolCall[]; status?: MessageStatus }): void {
    const row = this.#row(id);
    prepared(
      this.#db,
      'UPDATE messages SET draft_content = ?, tool_calls = ?, status = ?, updated_at = ? WHERE id = ?',
    ).run(
      draft.content ?? row.content,
      JSON.stringify(draft.toolCalls ?? JSON.parse(row.tool_calls)),
      draft.status ?? row.status,
      nowIso(),
      id,
    );
  }

  /** Ends a stream: revision 1 becomes exactly what the model produced. */
  finishDraft(
    id: string,
    final: { content: string; toolCalls?: ToolCall[]; status: MessageStatus },
  ): Message {
    const row = this.#row(id);
    if (row.revision_count > 0) throw new ConflictError(`message ${id} already has its first revision`);
    const at = nowIso();
    this.#addRevision(id, final.content, 'model', at);
    prepared(
      this.#db,
      'UPDATE messages SET draft_content = NULL, tool_calls = ?, status = ?, updated_at = ? WHERE id = ?',
    ).run(JSON.stringify(final.toolCalls ?? JSON.parse(row.tool_calls)), final.status, at, id);
    return this.get(id);
  }

  /** After a crash: answers still streaming keep what was persisted, marked as an error. */
  finishAbandonedDrafts(): string[] {
    const rows = prepared<[], { id: string; draft: string | null }>(
      this.#db,
      "SELECT id, draft_content AS draft FROM messages WHERE status = 'streaming'",
    ).all();
    for (const row of rows) {
      if (this.#row(row.id).revision_count === 0) {
        this.finishDraft(row.id, { content: row.draft ?? '', status: 'error' });
      } else {
        prepared(this.#db, "UPDATE messages SET status = 'error' WHERE id = ?").run(row.id);
      }
    }
    return rows.map((row) => row.id);
  }

  setModelCall(id: string, modelCallId: string): void {
    prepared(this.#db, 'UPDATE messages SET model_call_id = ? WHERE id = ?').run(modelCallId, id);
  }

  /** Tombstones; nothing is removed, and `restore` undoes it. Returns the ids that changed. */
  delete(ids: readonly string[]): { conversationId: string; messageIds: string[] }[] {
    return this.#setDeleted(ids, nowIso());
  }

  restore(ids: readonly string[]): { conversationId: string; messageIds: string[] }[] {
    return this.#setDeleted(ids, null);
  }

  /**
   * Makes the branch through `messageId` the conversation's path: the new leaf is the message's most recent
   * live descendant, following the newest child at each step.
   */
  selectBranch(conversationId: string, messageId: string): string {
    const row = this.#row(messageId);
    if (row.conversation_id !== conversationId) {
      throw new InvalidRequestError(`message ${messageId} belongs to another conversation`, 'messageId');
    }
    const leaf = newestLeafUnder(this.#db, messageId);
    this.#conversations.setLeaf(conversationId, leaf);
    return leaf;
  }

  /**
   * Copies messages (from any conversations) under `parentId` in the given order, each under the previous
   * one, with every revision and a link to where it came from. The last copy becomes the current leaf.
   */
  copy(conversationId: string, messageIds: readonly string[], parentId?: string | null): Message[] {
    const conversation = this.#conversations.get(conversationId);
    let parent = parentId === undefined ? conversation.currentLeafId : parentId;
    if (parent !== null) {
      const parentRow = this.#row(parent);
      if (parentRow.conversation_id !== conversationId) {
        throw new InvalidRequestError(`message ${parent} belongs to another conversation`, 'parentId');
      }
    }
    const copies: Message[] = [];
    for (const sourceId of messageIds) {
      const copy = this.#copyOne(conversationId, sourceId, parent);
      copies.push(copy);
      parent = copy.id;
    }
    this.#conversations.setLeaf(conversationId, parent);
    this.#conversations.touch(conversationId);
    return copies.map((message) => this.get(message.id));
  }

  #copyOne(conversationId: string, sourceId: string, parentId: string | null): Message {
    this.#row(sourceId); // an unknown id is a NotFoundError, not a copy of nothing
    const id = insertMessageCopy(this.#db, { conversationId, sourceId, parentId });
    this.#searchIndex.queueMessage(id);
    return this.get(id);
  }

  #addRevision(messageId: string, content: string, editor: Editor, at: string): void {
    const before = this.#row(messageId);
    const number = before.revision_count + 1;
    this.#insertRevision(messageId, number, { content, editor, at }, countTokens(content));
    prepared(this.#db, 'UPDATE messages SET revision_count = ? WHERE id = ?').run(number, messageId);
    this.#searchIndex.queueMessage(messageId);
    this.#messageChanged(before);
  }

  #insertRevision(
    messageId: string,
    number: number,
    revision: { content: string; editor: Editor; at: string },
    tokenCount: number,
  ): void {
    prepared(
      this.#db,
      `INSERT INTO message_revisions (id, message_id, number, content, editor, token_count, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), messageId, number, revision.content, revision.editor, tokenCount, revision.at);
  }

  /**
   * Keeps the stored path totals true after `before` changed in place (text, inclusion, tombstone): the
   * leaf's own change is applied to them; a change anywhere else clears them, as finding out whether the
   * message lies on the path would cost the walk that counting does.
   */
  #messageChanged(before: MessageRow): void {
    const stats = this.#conversations.pathStats(before.conversation_id);
    if (stats === null) return;
    if (stats.leafId !== before.id) {
      this.#conversations.setPathStats(before.conversation_id, null);
      return;
    }
    const after = this.#row(before.id);
    const next = withContribution(withContribution(stats, contribution(before), -1), contribution(after), 1);
    this.#conversations.setPathStats(before.conversation_id, next);
  }

  #setDeleted(
    ids: readonly string[],
    deletedAt: string | null,
  ): { conversationId: string; messageIds: string[] }[] {
    const byConversation = new Map<string, string[]>();
    for (const id of ids) {
      const row = this.#row(id);
      this.#conversations.get(row.conversation_id);
      if ((row.deleted_at !== null) === (deletedAt !== null)) continue;
      prepared(this.#db, 'UPDATE messages SET deleted_at = ?, updated_at = ? WHERE id = ?').run(
        deletedAt,
        nowIso(),
        id,
      );
      this.#messageChanged(row);
      byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), id]);
    }
    for (const conversationId of byConversation.keys()) this.#conversations.touch(conversationId);
    return [...byConversation].map(([conversationId, messageIds]) => ({ conversationId, messageIds }));
  }

  #row(id: string): MessageRow {
    const row = prepared<[string], MessageRow>(
      this.#db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages m ${CURRENT_REVISION_JOIN} WHERE m.id = ?`,
    ).get(id);
    if (!row) throw new NotFoundError('message', id);
    return row;
  }

  /** A message that can be changed: not tombstoned, in a live conversation. */
  #liveRow(id: string): MessageRow {
    const row = this.#row(id);
    if (row.deleted_at !== null) throw new ConflictError(`message ${id} is deleted; restore it first`);
    this.#conversations.get(row.conversation_id);
    return row;
  }
}

function contribution(row: MessageRow): PathContribution {
  return { deleted: row.deleted_at !== null, included: row.included === 1, tokenCount: row.token_count };
}
