/**
 * Team accounts (issue 10 item 3). Removing an account is a tombstone (a trigger refuses a DELETE): the
 * messages, decisions and ratings it made keep naming it, and its name is not handed to someone else, so an
 * exported trajectory never credits one person's work to another. Removing or re-keying an account ends its
 * sessions in the same transaction.
 */
import { lastAdminProblem } from '../core/account-rules.ts';
import type { Account, Role } from '../core/accounts.ts';
import { AppError, ConflictError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { AccountsTable } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

/** An account as `mp user list` shows it: with when it was removed, if it was. */
export interface AccountListing extends Account {
  removedAt: string | null;
}

/** A live account with its stored hash, for signing in; never leaves the server. */
export interface AccountCredentials {
  account: Account;
  passwordHash: string;
}

/** Options of a change that may take away an admin. */
export interface AdminGuard {
  /** Refuse (ConflictError) when the change would leave no live admin: the admin API's rule. */
  keepAnAdmin?: boolean;
}

/** A name no live account has (`not_found`, so the server answers 404). */
export class AccountNotFoundError extends AppError {
  constructor(username: string) {
    super('not_found', `no account named ${username} (\`mp user list\` shows them)`);
    this.name = 'AccountNotFoundError';
  }
}

export class AccountRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  /**
   * @example
   * await store.accounts.add({ username: 'alice', role: 'member', passwordHash: await hashPassword(pw) });
   */
  add(input: { username: string; role: Role; passwordHash: string }): Promise<Account> {
    return this.#database.atomic(async () => {
      // Checked first: a failed INSERT would abort a PostgreSQL transaction the caller may be in.
      const existing = await this.#row(input.username);
      if (existing !== undefined) {
        throw new ConflictError(
          existing.removed_at === null
            ? `there is already an account named ${input.username}`
            : `${input.username} was an account removed on ${existing.removed_at}; its name stays with what it did, so choose another`,
        );
      }
      const row = {
        id: newId(),
        username: input.username,
        role: input.role,
        password_hash: input.passwordHash,
        created_at: nowIso(),
        removed_at: null,
      };
      await this.#database.db.insertInto('accounts').values(row).execute();
      return toAccount(row);
    });
  }

  /** The live account's hash for a sign-in; undefined for an unknown or removed name. */
  async credentials(username: string): Promise<AccountCredentials | undefined> {
    const row = await this.#row(username);
    if (row === undefined || row.removed_at !== null) return undefined;
    return { account: toAccount(row), passwordHash: row.password_hash };
  }

  /** A live account by name; AccountNotFoundError for an unknown or removed one. */
  async byUsername(username: string): Promise<Account> {
    const found = await this.credentials(username);
    if (found === undefined) throw new AccountNotFoundError(username);
    return found.account;
  }

  /** A live account by id; NotFoundError (404) for an unknown or removed one. */
  async byId(id: string): Promise<Account> {
    const row = await this.#database.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError('account', id);
    return toAccount(row);
  }

  /** Every account, oldest first, the removed ones too. */
  async list(): Promise<AccountListing[]> {
    const rows = await this.#database.db
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ ...toAccount(row), removedAt: row.removed_at }));
  }

  /** Sets a new password hash and ends the account's sessions: whoever had signed in signs in again. */
  setPasswordHash(username: string, passwordHash: string): Promise<Account> {
    return this.#database.atomic(async () => {
      const account = await this.byUsername(username);
      await this.#database.db
        .updateTable('accounts')
        .set({ password_hash: passwordHash })
        .where('id', '=', account.id)
        .execute();
      await this.#endSessions(account.id);
      return account;
    });
  }

  /** Tombstones the account and ends its sessions at once. */
  remove(username: string, options: AdminGuard = {}): Promise<Account> {
    return this.#database.atomic(async () => {
      const account = await this.byUsername(username);
      if (options.keepAnAdmin === true) await this.#keepAnAdmin(account, 'remove');
      await this.#database.db
        .updateTable('accounts')
        .set({ removed_at: nowIso() })
        .where('id', '=', account.id)
        .execute();
      await this.#endSessions(account.id);
      return account;
    });
  }

  /**
   * Gives a live account another role. Its sessions stay: each request reads the account's role afresh
   * (account-sessions.ts), so the change applies from the next one.
   */
  changeRole(id: string, role: Role, options: AdminGuard = {}): Promise<Account> {
    return this.#database.atomic(async () => {
      const account = await this.byId(id);
      if (account.role === role) return account;
      if (options.keepAnAdmin === true) await this.#keepAnAdmin(account, 'demote');
      await this.#database.db.updateTable('accounts').set({ role }).where('id', '=', id).execute();
      return { ...account, role };
    });
  }

  /**
   * Refuses a change that would leave no live admin. On PostgreSQL the admins' rows are locked first, so two
   * servers demoting the last two admins at once cannot both see the other one still there (the second
   * waits, then counts again); SQLite's write transaction already holds the one write lock.
   */
  async #keepAnAdmin(account: Account, change: 'remove' | 'demote'): Promise<void> {
    if (account.role !== 'admin') return;
    const admins = await this.#database.db
      .selectFrom('accounts')
      .select('id')
      .where('role', '=', 'admin')
      .where('removed_at', 'is', null)
      .$if(this.#database.kind === 'postgres', (query) => query.forUpdate())
      .execute();
    const problem = lastAdminProblem({ change, ...account, liveAdmins: admins.length });
    if (problem !== null) throw new ConflictError(problem);
  }

  /** How many live accounts have `role` (a server in team mode with no admin has nobody to manage it). */
  async countLive(role?: Role): Promise<number> {
    const row = await this.#database.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('removed_at', 'is', null)
      .$if(role !== undefined, (query) => query.where('role', '=', role as Role))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async #endSessions(accountId: string): Promise<void> {
    await this.#database.db.deleteFrom('account_sessions').where('account_id', '=', accountId).execute();
  }

  #row(username: string): Promise<AccountsTable | undefined> {
    return this.#database.db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
  }
}

export function toAccount(row: Pick<AccountsTable, 'id' | 'username' | 'role' | 'created_at'>): Account {
  return { id: row.id, username: row.username, role: row.role, createdAt: row.created_at };
}
