/**
 * The branch structure of one message's tree, as MessageRepository reads it for a single message: its
 * siblings (the alternatives a person pages through with the sibling arrows) and the leaf a branch leads
 * to. It is its own file because the order both answers follow (created_at, then id, newest child last)
 * is one rule; a path of many messages reads its siblings in one batch instead (path-window.ts).
 */
import type { Kysely } from 'kysely';
import { CompiledOnce } from './compiled-once.ts';
import type { StoreTables } from './engines/store-tables.ts';
import type { MessageRow } from './rows.ts';
import type { StoreDatabase } from './store-database.ts';

/**
 * The live children of the message's parent, and the message itself, in the order sibling arrows show
 * them (created_at, then id). Sorted here, not by ORDER BY: run through node:sqlite, this statement with an
 * ORDER BY took ~20 µs more (three times the lookup) though the index yields that order and the engine
 * runs the same lookup as a subquery in the same time either way; every append and get asks this. A root
 * and a child are two statements, since `parent_id IS ?` (one shape for both) is SQLite's alone.
 */
export async function siblingIds(
  database: StoreDatabase,
  row: Pick<MessageRow, 'id' | 'conversation_id' | 'parent_id'>,
): Promise<string[]> {
  const { rows: siblings } =
    row.parent_id === null
      ? await ROOT_SIBLINGS.execute(database, row.conversation_id, row.id)
      : await CHILD_SIBLINGS.execute(database, row.conversation_id, row.parent_id, row.id);
  if (siblings.length > 1) siblings.sort(bySiblingOrder);
  return siblings.map((sibling) => sibling.id);
}

// Asked by every append and get: compiled once (compiled-once.ts).
const ROOT_SIBLINGS = new CompiledOnce((db, conversationId: string, self: string) =>
  db
    .selectFrom('messages')
    .select(['id', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .where('parent_id', 'is', null)
    .where((eb) => eb.or([eb('deleted_at', 'is', null), eb('id', '=', self)])),
);

const CHILD_SIBLINGS = new CompiledOnce((db, conversationId: string, parentId: string, self: string) =>
  db
    .selectFrom('messages')
    .select(['id', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .where('parent_id', '=', parentId)
    .where((eb) => eb.or([eb('deleted_at', 'is', null), eb('id', '=', self)])),
);

/** The message's most recent live descendant, following the newest child at each step; itself if none. */
export async function newestLeafUnder(db: Kysely<StoreTables>, messageId: string): Promise<string> {
  let leaf = messageId;
  for (;;) {
    const child = await db
      .selectFrom('messages')
      .select('id')
      .where('parent_id', '=', leaf)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!child) return leaf;
    leaf = child.id;
  }
}

/** created_at, then id, compared as SQLite's BINARY collation does (both are ASCII). */
function bySiblingOrder(
  a: { id: string; created_at: string },
  b: { id: string; created_at: string },
): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
