/**
 * One message's row as MessageRepository reads and changes it: read joined with its current revision, the
 * lock a change takes before reading it, and a revision written under it. Its own file because every
 * change of a message starts and ends with these, and messages.ts is about what the changes mean.
 */
import { type Kysely, sql } from 'kysely';
import type { Author, Editor, MessageStatus, Role } from '../core/domain.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import { CompiledOnce } from './compiled-once.ts';
import type { StoreTables } from './engines/store-tables.ts';
import { CURRENT_REVISION_JOIN, MESSAGE_COLUMNS, type MessageRow } from './rows.ts';
import type { StoreDatabase } from './store-database.ts';

/** The message with its current revision (or its draft while it streams); NotFoundError if unknown. */
export async function readMessageRow(db: Kysely<StoreTables>, id: string): Promise<MessageRow> {
  const { rows } = await sql<MessageRow>`
    SELECT ${MESSAGE_COLUMNS} FROM messages m ${CURRENT_REVISION_JOIN} WHERE m.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row) throw new NotFoundError('message', id);
  return row;
}

/**
 * Locks the conversations the messages belong to before the messages are read (PostgreSQL, in a
 * transaction; see StoreDatabase.lockConversation), so the rows a change starts from and the path totals it
 * adjusts cannot be changed by another process in between. Every change of a message takes its
 * conversation's lock before it writes the message, as an append's `head` does, and several are locked in
 * id order in one statement: two changes never wait for each other's locks crosswise (a deadlock).
 *
 * @example
 * await database.atomic(async () => { await lockConversationsOf(database, [id]); const row = await readMessageRow(database.db, id); … });
 */
export async function lockConversationsOf(
  database: StoreDatabase,
  messageIds: readonly string[],
): Promise<void> {
  if (database.kind !== 'postgres' || !database.inTransaction || messageIds.length === 0) return;
  await database.db
    .selectFrom('conversations')
    .select('id')
    .where('id', 'in', (eb) =>
      eb.selectFrom('messages').select('conversation_id').where('id', 'in', messageIds),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Writes a new message's row (its text goes in with its first revision). Who wrote it: the person, or for a
 * model's answer or a command's output, the one whose request led to it (acting-account.ts).
 */
export async function insertMessage(database: StoreDatabase, row: MessageRow): Promise<void> {
  await INSERT_MESSAGE.execute(
    database,
    row.id,
    row.conversation_id,
    row.parent_id,
    row.role,
    row.author,
    row.included === 0 ? 0 : 1,
    row.status,
    row.revision_count,
    row.source_message_id,
    row.tool_calls,
    row.tool_call_id,
    row.model_call_id,
    row.created_at,
    currentAccountId(),
  );
}

/** Writes revision `number` of a message; the database refuses any later change to it. */
export async function insertRevision(
  database: StoreDatabase,
  revision: {
    messageId: string;
    number: number;
    content: string;
    editor: Editor;
    at: string;
    tokenCount: number;
  },
): Promise<void> {
  await INSERT_REVISION.execute(
    database,
    newId(),
    revision.messageId,
    revision.number,
    revision.content,
    revision.editor,
    revision.tokenCount,
    revision.at,
    // Who wrote it: the person editing, or for a model's answer the person who asked (acting-account.ts).
    currentAccountId(),
  );
}

// On every append and edit: compiled once (compiled-once.ts).
const INSERT_REVISION = new CompiledOnce(
  (
    db,
    id: string,
    messageId: string,
    number: number,
    content: string,
    editor: Editor,
    tokenCount: number,
    at: string,
    accountId: string | null,
  ) =>
    db.insertInto('message_revisions').values({
      id,
      message_id: messageId,
      number,
      content,
      editor,
      token_count: tokenCount,
      created_at: at,
      account_id: accountId,
    }),
);

/** The append's insert, compiled once (compiled-once.ts); `at` is both its creation and last change. */
const INSERT_MESSAGE = new CompiledOnce(
  (
    db,
    id: string,
    conversationId: string,
    parentId: string | null,
    role: Role,
    author: Author,
    included: 0 | 1,
    status: MessageStatus,
    revisionCount: number,
    sourceMessageId: string | null,
    toolCalls: string,
    toolCallId: string | null,
    modelCallId: string | null,
    at: string,
    accountId: string | null,
  ) =>
    db.insertInto('messages').values({
      id,
      conversation_id: conversationId,
      parent_id: parentId,
      role,
      author,
      included,
      status,
      revision_count: revisionCount,
      source_message_id: sourceMessageId,
      tool_calls: toolCalls,
      tool_call_id: toolCallId,
      model_call_id: modelCallId,
      created_at: at,
      updated_at: at,
      account_id: accountId,
    }),
);
