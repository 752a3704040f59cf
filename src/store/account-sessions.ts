/**
 * Signed-in sessions of team accounts (issue 10 item 3). A row is keyed by the SHA-256 of the secret the
 * cookie carries, never the secret: whoever reads the database or a backup cannot sign in with what it finds.
 * The server decides what "expired" means (absolute and idle limits, src/server/team-sessions.ts); this file
 * stores and finds rows. Signing out deletes the row; so do removing the account and changing its password.
 */
import type { Account } from '../core/accounts.ts';
import { toAccount } from './accounts.ts';
import type { AccountSessionsTable } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export interface AccountSession {
  /** SHA-256 hex of the cookie's secret. */
  id: string;
  accountId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string;
}

export class AccountSessionRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async create(session: AccountSession): Promise<void> {
    await this.#database.db.insertInto('account_sessions').values(toRow(session)).execute();
  }

  /** The session and its account; undefined when there is none or the account was removed. */
  async find(id: string): Promise<{ session: AccountSession; account: Account } | undefined> {
    const row = await this.#database.db
      .selectFrom('account_sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .select([
        's.id',
        's.account_id',
        's.csrf_token',
        's.created_at',
        's.expires_at',
        's.last_used_at',
        'a.username',
        'a.role',
        'a.created_at as account_created_at',
      ])
      .where('s.id', '=', id)
      .where('a.removed_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      session: {
        id: row.id,
        accountId: row.account_id,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
      },
      account: toAccount({
        id: row.account_id,
        username: row.username,
        role: row.role,
        created_at: row.account_created_at,
      }),
    };
  }

  async touch(id: string, lastUsedAt: string): Promise<void> {
    await this.#database.db
      .updateTable('account_sessions')
      .set({ last_used_at: lastUsedAt })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.#database.db.deleteFrom('account_sessions').where('id', '=', id).execute();
  }

  /** Deletes sessions past their absolute end or unused since `idleBefore`; returns how many. */
  async deleteExpired(options: { now: string; idleBefore: string }): Promise<number> {
    const result = await this.#database.db
      .deleteFrom('account_sessions')
      .where((eb) =>
        eb.or([eb('expires_at', '<=', options.now), eb('last_used_at', '<', options.idleBefore)]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** How many sessions an account has open (tests; `mp user list` may show it). */
  async countFor(accountId: string): Promise<number> {
    const row = await this.#database.db
      .selectFrom('account_sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

function toRow(session: AccountSession): AccountSessionsTable {
  return {
    id: session.id,
    account_id: session.accountId,
    csrf_token: session.csrfToken,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
    last_used_at: session.lastUsedAt,
  };
}
