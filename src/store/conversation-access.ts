/**
 * Whose a conversation is, found from anything that lives in it (issue 10 item 5): the server asks before
 * a request reaches a conversation, by its own id or by the id of a message, proposal, execution or model
 * call in it, and answers 404 when the actor may not see it. One indexed lookup per request; tombstoned
 * conversations are found too, since restoring one needs it.
 */
import { sql } from 'kysely';
import type { ConversationAccess, Visibility } from '../core/permissions.ts';
import type { StoreDatabase } from './store-database.ts';

/** What a route's `:id` names; each lives in exactly one conversation. */
export const ACCESS_TARGETS = [
  'conversation',
  'message',
  'proposal',
  'execution',
  'model-call',
  'checkpoint',
] as const;
export type AccessTarget = (typeof ACCESS_TARGETS)[number];

export interface ConversationOwner extends ConversationAccess {
  conversationId: string;
}

const TABLES = {
  message: 'messages',
  proposal: 'proposals',
  execution: 'executions',
  'model-call': 'model_calls',
  checkpoint: 'checkpoints',
} as const;

export class ConversationAccessRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  /** The conversation `id` (a `target`) lives in, with its owner and visibility; undefined if unknown. */
  async of(target: AccessTarget, id: string): Promise<ConversationOwner | undefined> {
    const db = this.#database.db;
    const columns = ['c.id as conversationId', 'c.owner_account_id as owner', 'c.visibility'] as const;
    const row =
      target === 'conversation'
        ? await db.selectFrom('conversations as c').select(columns).where('c.id', '=', id).executeTakeFirst()
        : await db
            .selectFrom('conversations as c')
            .select(columns)
            .where('c.id', '=', (eb) =>
              eb.selectFrom(TABLES[target]).select('conversation_id').where('id', '=', id),
            )
            .executeTakeFirst();
    return row === undefined ? undefined : toOwner(row);
  }

  /** The conversations of several messages (a copy's sources, a bulk delete), one row per conversation. */
  async ofMessages(ids: readonly string[]): Promise<ConversationOwner[]> {
    if (ids.length === 0) return [];
    const rows = await this.#database.db
      .selectFrom('conversations as c')
      .select(['c.id as conversationId', 'c.owner_account_id as owner', 'c.visibility'])
      .where('c.id', 'in', (eb) =>
        eb
          .selectFrom('messages')
          .select('conversation_id')
          .where('id', 'in', [...new Set(ids)]),
      )
      .orderBy('c.id')
      .execute();
    return rows.map(toOwner);
  }
}

/**
 * The condition a listing query adds so an account sees only what it may (permissions.ts's
 * canSeeConversation, in SQL): conversations made without accounts, those shared with the team, and its
 * own. Applied inside the query, before its LIMIT, so hidden rows cannot crowd visible ones out of a page.
 * `alias` is the conversations table's name in the query.
 */
export function visibleToAccount(alias: string, accountId: string) {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<boolean>`(${column('owner_account_id')} IS NULL OR ${column('visibility')} = 'team' OR ${column('owner_account_id')} = ${accountId})`;
}

function toOwner(row: {
  conversationId: string;
  owner: string | null;
  visibility: string;
}): ConversationOwner {
  return {
    conversationId: row.conversationId,
    ownerAccountId: row.owner,
    visibility: row.visibility as Visibility,
  };
}
