import type { Editor, Message, MessageStatus, Revision, ToolCall } from '../core/domain.ts';
import { ConflictError, InvalidRequestError } from '../core/errors.ts';
import { nowIso } from '../core/ids.ts';
import { countTokens } from '../core/token-count.ts';
import type { ConversationRepository } from './conversations.ts';
import { MessageAppend, type NewMessage } from './message-append.ts';
import { newestLeafUnder, siblingIds } from './message-branches.ts';
import { insertMessageCopy } from './message-copy.ts';
import { insertRevision, lockConversationsOf, readMessageRow } from './message-row.ts';
import { PathReader, type PathWindow, type PathWindowOptions } from './path-reader.ts';
import { type PathStats, rowContribution, withContribution } from './path-stats.ts';
import { type MessageRow, type RevisionRow, toMessage, toRevision } from './rows.ts';
import type { SearchIndex } from './search.ts';
import type { StoreDatabase } from './store-database.ts';
import { type CopiedMessage, carrySummaries } from './summaries.ts';

export type { NewMessage };

export class MessageRepository {
  readonly #database: StoreDatabase;
  readonly #conversations: ConversationRepository;
  readonly #searchIndex: SearchIndex;
  readonly #paths: PathReader;
  readonly #append: MessageAppend;

  constructor(database: StoreDatabase, conversations: ConversationRepository, searchIndex: SearchIndex) {
    this.#database = database;
    this.#conversations = conversations;
    this.#searchIndex = searchIndex;
    this.#paths = new PathReader(database, conversations);
    this.#append = new MessageAppend(database, conversations, searchIndex);
  }

  /** Adds a message (see message-append.ts): the hot path of the app. */
  append(conversationId: string, input: NewMessage): Promise<Message> {
    return this.#append.add(conversationId, input);
  }

  /** Totals along the current path (see path-stats.ts). */
  pathStats(conversationId: string): Promise<PathStats | null> {
    return this.#paths.stats(conversationId);
  }

  /** A window of the current path (see path-reader.ts). */
  window(conversationId: string, options: PathWindowOptions): Promise<PathWindow> {
    return this.#paths.window(conversationId, options);
  }

  /** The messages from the root to the conversation's current leaf, oldest first. */
  path(conversationId: string, options: { includeDeleted?: boolean } = {}): Promise<Message[]> {
    return this.#paths.path(conversationId, options);
  }

  async get(id: string): Promise<Message> {
    const row = await readMessageRow(this.#database.db, id);
    return toMessage(row, await siblingIds(this.#database, row));
  }

  async revisions(id: string): Promise<Revision[]> {
    await readMessageRow(this.#database.db, id);
    const rows = await this.#database.db
      .selectFrom('message_revisions as r')
      .leftJoin('accounts as a', 'a.id', 'r.account_id')
      .select([
        'r.id',
        'r.message_id',
        'r.number',
        'r.content',
        'r.editor',
        'r.created_at',
        'r.account_id',
        'a.username as account_username',
      ])
      .where('r.message_id', '=', id)
      .orderBy('r.number')
      .execute();
    // The editor column holds an `Editor`: the store writes no other value there.
    return (rows as RevisionRow[]).map(toRevision);
  }

  /** Appends a revision; the earlier ones stay exactly as they were. Unchanged text adds nothing. */
  revise(id: string, content: string, editor: Editor, at: string = nowIso()): Promise<Message> {
    return this.#database.atomic(async () => {
      await lockConversationsOf(this.#database, [id]);
      const row = await this.#liveRow(id);
      if (row.revision_count > 0 && row.content === content) return this.get(id);
      await this.#addRevision(row, content, editor, at);
      await this.#database.db.updateTable('messages').set({ updated_at: at }).where('id', '=', id).execute();
      await this.#conversations.touch(row.conversation_id, at);
      return this.get(id);
    });
  }

  setIncluded(id: string, included: boolean): Promise<Message> {
    return this.#database.atomic(async () => {
      await lockConversationsOf(this.#database, [id]);
      const row = await this.#liveRow(id);
      const at = nowIso();
      await this.#database.db
        .updateTable('messages')
        .set({ included: included ? 1 : 0, updated_at: at })
        .where('id', '=', id)
        .execute();
      await this.#messageChanged(row);
      await this.#conversations.touch(row.conversation_id, at);
      return this.get(id);
    });
  }

  /** Streaming: keeps what has arrived so far without writing a revision. */
  async updateDraft(
    id: string,
    draft: { content?: string; toolCalls?: ToolCall[]; status?: MessageStatus },
  ): Promise<void> {
    const row = await readMessageRow(this.#database.db, id);
    await this.#database.db
      .updateTable('messages')
      .set({
        draft_content: draft.content ?? row.content,
        tool_calls: JSON.stringify(draft.toolCalls ?? JSON.parse(row.tool_calls)),
        status: draft.status ?? row.status,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Ends a stream: revision 1 becomes exactly what the model produced. */
  finishDraft(
    id: string,
    final: { content: string; toolCalls?: ToolCall[]; status: MessageStatus },
  ): Promise<Message> {
    return this.#database.atomic(async () => {
      await lockConversationsOf(this.#database, [id]);
      const row = await readMessageRow(this.#database.db, id);
      if (row.revision_count > 0) throw new ConflictError(`message ${id} already has its first revision`);
      const at = nowIso();
      await this.#addRevision(row, final.content, 'model', at);
      await this.#database.db
        .updateTable('messages')
        .set({
          draft_content: null,
          tool_calls: JSON.stringify(final.toolCalls ?? JSON.parse(row.tool_calls)),
          status: final.status,
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      return this.get(id);
    });
  }

  /**
   * After a crash: answers still streaming keep what was persisted, marked as an error. Run after the model
   * calls' recovery: an answer whose call is still running streams in a live server process sharing the
   * database (issue 10 item 4), and is left to it.
   */
  finishAbandonedDrafts(): Promise<string[]> {
    return this.#database.atomic(async () => {
      const rows = await this.#database.db
        .selectFrom('messages')
        .select(['id', 'draft_content as draft', 'revision_count'])
        .where('status', '=', 'streaming')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('model_calls')
                .select('model_calls.id')
                .whereRef('model_calls.id', '=', 'messages.model_call_id')
                .where('model_calls.status', '=', 'running'),
            ),
          ),
        )
        .orderBy('id')
        .execute();
      for (const row of rows) {
        if (row.revision_count === 0) {
          await this.finishDraft(row.id, { content: row.draft ?? '', status: 'error' });
        } else {
          await this.#database.db
            .updateTable('messages')
            .set({ status: 'error' })
            .where('id', '=', row.id)
            .execute();
        }
      }
      return rows.map((row) => row.id);
    });
  }

  async setModelCall(id: string, modelCallId: string): Promise<void> {
    await this.#database.db
      .updateTable('messages')
      .set({ model_call_id: modelCallId })
      .where('id', '=', id)
      .execute();
  }

  /** Tombstones; nothing is removed, and `restore` undoes it. Returns the ids that changed. */
  delete(ids: readonly string[]): Promise<{ conversationId: string; messageIds: string[] }[]> {
    return this.#setDeleted(ids, nowIso());
  }

  restore(ids: readonly string[]): Promise<{ conversationId: string; messageIds: string[] }[]> {
    return this.#setDeleted(ids, null);
  }

  /**
   * Makes the branch through `messageId` the conversation's path: the new leaf is the message's most recent
   * live descendant, following the newest child at each step.
   */
  selectBranch(conversationId: string, messageId: string): Promise<string> {
    return this.#database.atomic(async () => {
      await this.#database.lockConversation(conversationId);
      const row = await readMessageRow(this.#database.db, messageId);
      if (row.conversation_id !== conversationId) {
        throw new InvalidRequestError(`message ${messageId} belongs to another conversation`, 'messageId');
      }
      const leaf = await newestLeafUnder(this.#database.db, messageId);
      await this.#conversations.setLeaf(conversationId, leaf);
      return leaf;
    });
  }

  /**
   * Copies messages (from any conversations) under `parentId` in the given order, each under the previous
   * one, with every revision and a link to where it came from. The last copy becomes the current leaf.
   */
  copy(conversationId: string, messageIds: readonly string[], parentId?: string | null): Promise<Message[]> {
    return this.#database.atomic(async () => {
      await this.#database.lockConversation(conversationId);
      const conversation = await this.#conversations.get(conversationId);
      let parent = parentId === undefined ? conversation.currentLeafId : parentId;
      if (parent !== null) {
        const parentRow = await readMessageRow(this.#database.db, parent);
        if (parentRow.conversation_id !== conversationId) {
          throw new InvalidRequestError(`message ${parent} belongs to another conversation`, 'parentId');
        }
      }
      const copies: string[] = [];
      const copied: CopiedMessage[] = [];
      for (const sourceId of messageIds) {
        const source = await readMessageRow(this.#database.db, sourceId); // an unknown id is a NotFoundError, not a copy of nothing
        const id = await insertMessageCopy(this.#database.db, { conversationId, sourceId, parentId: parent });
        await this.#searchIndex.queueMessage(id);
        copies.push(id);
        copied.push({ sourceId, copyId: id, summarizes: source.summarizes });
        parent = id;
      }
      await carrySummaries(this.#database.db, copied);
      await this.#conversations.setLeaf(conversationId, parent);
      await this.#conversations.touch(conversationId);
      const messages: Message[] = [];
      for (const id of copies) messages.push(await this.get(id));
      return messages;
    });
  }

  /** Adds the next revision to the message `before` (its row as read in this transaction). */
  async #addRevision(before: MessageRow, content: string, editor: Editor, at: string): Promise<void> {
    const number = before.revision_count + 1;
    const tokenCount = countTokens(content);
    await insertRevision(this.#database, {
      messageId: before.id,
      number,
      content,
      editor,
      at,
      tokenCount,
    });
    await this.#database.db
      .updateTable('messages')
      .set({ revision_count: number })
      .where('id', '=', before.id)
      .execute();
    await this.#searchIndex.queueMessage(before.id);
    await this.#messageChanged(before);
  }

  /**
   * Keeps the stored path totals true after `before` changed in place (text, inclusion, tombstone): the
   * leaf's own change is applied to them; a change anywhere else clears them, as finding out whether the
   * message lies on the path would cost the walk that counting does. Callers hold the conversation's lock.
   */
  async #messageChanged(before: MessageRow): Promise<void> {
    const stats = await this.#conversations.pathStats(before.conversation_id);
    if (stats === null) return;
    if (stats.leafId !== before.id) {
      await this.#conversations.setPathStats(before.conversation_id, null);
      return;
    }
    const after = await readMessageRow(this.#database.db, before.id);
    const next = withContribution(
      withContribution(stats, rowContribution(before), -1),
      rowContribution(after),
      1,
    );
    await this.#conversations.setPathStats(before.conversation_id, next);
  }

  #setDeleted(
    ids: readonly string[],
    deletedAt: string | null,
  ): Promise<{ conversationId: string; messageIds: string[] }[]> {
    return this.#database.atomic(async () => {
      await lockConversationsOf(this.#database, ids);
      const byConversation = new Map<string, string[]>();
      for (const id of ids) {
        const row = await readMessageRow(this.#database.db, id);
        await this.#conversations.get(row.conversation_id);
        if ((row.deleted_at !== null) === (deletedAt !== null)) continue;
        await this.#database.db
          .updateTable('messages')
          .set({ deleted_at: deletedAt, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await this.#messageChanged(row);
        byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), id]);
      }
      for (const conversationId of byConversation.keys()) await this.#conversations.touch(conversationId);
      return [...byConversation].map(([conversationId, messageIds]) => ({ conversationId, messageIds }));
    });
  }

  /** A message that can be changed: not tombstoned, in a live conversation. */
  async #liveRow(id: string): Promise<MessageRow> {
    const row = await readMessageRow(this.#database.db, id);
    if (row.deleted_at !== null) throw new ConflictError(`message ${id} is deleted; restore it first`);
    await this.#conversations.get(row.conversation_id);
    return row;
  }
}
