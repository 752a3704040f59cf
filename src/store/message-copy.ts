/**
 * The row-level copy behind MessageRepository.copy (forking a conversation, moving messages into another):
 * one message and every one of its revisions, written under a new parent in a conversation, with
 * source_message_id naming where it came from. The copy keeps the source's authors, the accounts that wrote
 * it, timestamps, status and tombstone: revisions are history, and a copy that re-dated or re-attributed them
 * would rewrite it. It is its own file because it writes a message from another message's rows, in SQL,
 * rather than from new input (messages.ts); the caller checks that the source exists (INSERT … SELECT of an
 * unknown id copies nothing).
 */
import { type Kysely, sql } from 'kysely';
import { newId, nowIso } from '../core/ids.ts';
import type { StoreTables } from './engines/store-tables.ts';

/** 7 parameters each: far below SQLite's 32,766 and PostgreSQL's 65,535 per statement. */
const REVISIONS_PER_INSERT = 500;

/** Copies the (existing) message `sourceId` under `parentId` in `conversationId`; returns the copy's id. */
export async function insertMessageCopy(
  db: Kysely<StoreTables>,
  target: { conversationId: string; sourceId: string; parentId: string | null },
): Promise<string> {
  const id = newId();
  const at = nowIso();
  // New values among the copied columns are cast: PostgreSQL cannot type a bare parameter in a SELECT list.
  await db
    .insertInto('messages')
    .columns([
      'id',
      'conversation_id',
      'parent_id',
      'role',
      'author',
      'included',
      'status',
      'revision_count',
      'source_message_id',
      'tool_calls',
      'tool_call_id',
      'model_call_id',
      'draft_content',
      'created_at',
      'updated_at',
      'deleted_at',
      'account_id',
    ])
    .expression(
      db
        .selectFrom('messages')
        .select([
          sql<string>`CAST(${id} AS TEXT)`.as('new_id'),
          sql<string>`CAST(${target.conversationId} AS TEXT)`.as('new_conversation_id'),
          sql<string | null>`CAST(${target.parentId} AS TEXT)`.as('new_parent_id'),
          'role',
          'author',
          'included',
          'status',
          'revision_count',
          'id',
          'tool_calls',
          'tool_call_id',
          'model_call_id',
          'draft_content',
          'created_at',
          sql<string>`CAST(${at} AS TEXT)`.as('new_updated_at'),
          'deleted_at',
          'account_id',
        ])
        .where('id', '=', target.sourceId),
    )
    .execute();
  const revisions = await db
    .selectFrom('message_revisions')
    .select(['number', 'content', 'editor', 'token_count', 'created_at', 'account_id'])
    .where('message_id', '=', target.sourceId)
    .orderBy('number')
    .execute();
  // A few statements rather than one per revision; chunked to stay under either engine's parameter limit.
  for (let start = 0; start < revisions.length; start += REVISIONS_PER_INSERT) {
    await db
      .insertInto('message_revisions')
      .values(
        revisions
          .slice(start, start + REVISIONS_PER_INSERT)
          .map((revision) => ({ id: newId(), message_id: id, ...revision })),
      )
      .execute();
  }
  return id;
}
