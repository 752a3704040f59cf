/**
 * The sidebar's filters on the conversation list (issue 9 item 1), as conditions on the conversations
 * query: each filter is one EXISTS (or IN) on an indexed lookup, applied inside the query so the list's order
 * and paging stay the database's. Filters combine with AND, the values of one filter with OR, as the
 * export's filters do (core/api/dataset-schemas.ts). Labels count while current (not tombstoned).
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { ConversationFilters } from '../core/api/review-schemas.ts';
import type { StoreTables } from './engines/store-tables.ts';

type ConversationsScope = ExpressionBuilder<StoreTables & { c: StoreTables['conversations'] }, 'c'>;

/**
 * The conditions for `filters` on a query whose conversations table is aliased `c`; none for no filters.
 *
 * @example
 * query.where((eb) => eb.and(conversationFilterConditions(eb, { tags: ['flaky'] })))
 */
export function conversationFilterConditions(
  eb: ConversationsScope,
  filters: ConversationFilters,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  const label = (name: string, values: readonly string[]) =>
    eb.exists(
      eb
        .selectFrom('labels as l')
        .select('l.id')
        .whereRef('l.conversation_id', '=', 'c.id')
        .where('l.name', '=', name)
        .where('l.value', 'in', [...values])
        .where('l.deleted_at', 'is', null),
    );
  if (filters.tags?.length) conditions.push(label('tag', filters.tags));
  if (filters.ratings?.length) conditions.push(label('rating', filters.ratings));
  if (filters.outcomes?.length) conditions.push(label('outcome', filters.outcomes));
  if (filters.models?.length) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('model_calls as mc')
          .select('mc.id')
          .whereRef('mc.conversation_id', '=', 'c.id')
          .where('mc.model', 'in', [...filters.models]),
      ),
    );
  }
  if (filters.since !== undefined) conditions.push(eb('c.updated_at', '>=', sinceInstant(filters.since)));
  if (filters.containing?.length) {
    conditions.push(eb('c.id', 'in', sql<string>`(${messageFamilyConversations(filters.containing)})`));
  }
  return conditions;
}

/**
 * `since` as the stored timestamps are written (ISO UTC with milliseconds), so text comparison is time
 * comparison on both engines: a day is its UTC midnight.
 */
export function sinceInstant(since: string): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00.000Z` : since;
  return new Date(instant).toISOString();
}

/**
 * The conversations that hold one of `messageIds` or a copy of it: up the chain of sources to each original,
 * then down to every copy of those (a copy of a copy names the copy as its source).
 */
function messageFamilyConversations(messageIds: readonly string[]) {
  const ids = sql.join([...new Set(messageIds)]);
  return sql`
    WITH RECURSIVE up(id, source) AS (
      SELECT id, source_message_id FROM messages WHERE id IN (${ids})
      UNION SELECT m.id, m.source_message_id FROM messages m JOIN up ON m.id = up.source
    ), down(id) AS (
      SELECT id FROM up WHERE source IS NULL
      UNION SELECT m.id FROM messages m JOIN down ON m.source_message_id = down.id
    )
    SELECT m.conversation_id FROM messages m WHERE m.id IN (SELECT id FROM down)`;
}
