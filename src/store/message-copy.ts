/**
 * The row-level copy behind MessageRepository.copy (forking a conversation, moving messages into another):
 * one message and every one of its revisions, written under a new parent in a conversation, with
 * source_message_id naming where it came from. The copy keeps the source's authors, timestamps, status and
 * tombstone: revisions are history, and a copy that re-dated or re-attributed them would rewrite it. It is
 * its own file because it writes a message from another message's rows, in SQL, rather than from new input
 * (messages.ts); the caller checks that the source exists (INSERT … SELECT of an unknown id copies nothing).
 */
import { newId, nowIso } from '../core/ids.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';
import type { RevisionRow } from './rows.ts';

/** Copies the (existing) message `sourceId` under `parentId` in `conversationId`; returns the copy's id. */
export function insertMessageCopy(
  db: SqliteDatabase,
  target: { conversationId: string; sourceId: string; parentId: string | null },
): string {
  const id = newId();
  const at = nowIso();
  prepared(
    db,
    `INSERT INTO messages (id, conversation_id, parent_id, role, author, included, status, revision_count,
         source_message_id, tool_calls, tool_call_id, model_call_id, draft_content, created_at, updated_at, deleted_at)
       SELECT ?, ?, ?, role, author, included, status, revision_count, id, tool_calls, tool_call_id, model_call_id,
         draft_content, created_at, ?, deleted_at
       FROM messages WHERE id = ?`,
  ).run(id, target.conversationId, target.parentId, at, target.sourceId);
  const revisions = prepared<[string], RevisionRow & { token_count: number }>(
    db,
    'SELECT * FROM message_revisions WHERE message_id = ? ORDER BY number',
  ).all(target.sourceId);
  const insert = prepared(
    db,
    `INSERT INTO message_revisions (id, message_id, number, content, editor, token_count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const revision of revisions) {
    insert.run(
      newId(),
      id,
      revision.number,
      revision.content,
      revision.editor,
      revision.token_count,
      revision.created_at,
    );
  }
  return id;
}
