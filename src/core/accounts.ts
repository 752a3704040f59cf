/**
 * Who acts on a team server (issue 10 item 3). An account is a person with a role; the actor is who a request
 * acts for: an account signed in on a team server, or the one local person of single-token mode, who is
 * trusted as an admin because holding the instance's token already means holding the machine.
 */

/** `admin` manages accounts and providers, `member` works in conversations, `reviewer` rates, tags and exports. */
export type Role = 'admin' | 'member' | 'reviewer';

export const ROLES: readonly Role[] = ['admin', 'member', 'reviewer'];

export interface Account {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
}

/**
 * @example
 * const actor: Actor = request.actor;
 * const accountId = actor.kind === 'account' ? actor.account.id : null; // what a stored action records
 */
export type Actor = { kind: 'local' } | { kind: 'account'; account: Account };

export const LOCAL_ACTOR: Actor = Object.freeze({ kind: 'local' });

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The account id a stored action records: null in single-token mode. */
export function actingAccountId(actor: Actor): string | null {
  return actor.kind === 'account' ? actor.account.id : null;
}

/** The role the rules apply: single-token mode is the machine's owner. */
export function actorRole(actor: Actor): Role {
  return actor.kind === 'account' ? actor.account.role : 'admin';
}
