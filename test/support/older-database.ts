/**
 * A database left at an older schema version, holding what a person had then: one conversation `c1` with one
 * user message `m1` (revision `r1`), written with plain SQL since the store's code writes only the current
 * schema. Tests of a migration open it with Store.open and check what came through. Returned open, so a
 * test can add what its version had besides (rows of an index, say); the test closes it.
 */
import { openDatabase, type SqliteDatabase } from '../../src/store/open-database.ts';

export function olderDatabase(
  path: string,
  version: number,
  conversation: { title: string; message: string },
): SqliteDatabase {
  const older = openDatabase(path, { targetVersion: version });
  const at = new Date().toISOString();
  older
    .prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run('c1', conversation.title, at, at);
  older
    .prepare(
      `INSERT INTO messages (id, conversation_id, role, author, revision_count, created_at, updated_at)
       VALUES ('m1', 'c1', 'user', 'human', 1, ?, ?)`,
    )
    .run(at, at);
  older
    .prepare(
      `INSERT INTO message_revisions (id, message_id, number, content, editor, created_at)
       VALUES ('r1', 'm1', 1, ?, 'human', ?)`,
    )
    .run(conversation.message, at);
  return older;
}
