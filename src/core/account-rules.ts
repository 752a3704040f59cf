/**
 * What a team account's name and password must be (issue 10 item 3), as pure checks that return the
 * sentence to show, so the CLI and any later admin route refuse with the same words.
 */
import { isRole, ROLES, type Role } from './accounts.ts';

/** Lower-case so that `Alice` and `alice` cannot be two people; no spaces or `$` (they show in logs and exports). */
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** NIST SP 800-63B asks for at least 8 characters and no composition rules; long passphrases are welcome. */
export const PASSWORD_MIN_LENGTH = 10;
/** scrypt takes any length, but an unbounded body would let one request make the server hash megabytes. */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * The name as stored (trimmed, lower-case), or the reason it cannot be one.
 *
 * @example
 * checkUsername(' Alice ') // { ok: true, username: 'alice' }
 * checkUsername('a b')     // { ok: false, message: 'a username is 1 to 64 of a-z, 0-9, ".", "_" and "-", …' }
 */
export function checkUsername(
  input: string,
): { ok: true; username: string } | { ok: false; message: string } {
  const username = input.trim().toLowerCase();
  if (USERNAME.test(username)) return { ok: true, username };
  return {
    ok: false,
    message: `a username is 1 to 64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit; not ${JSON.stringify(input)}`,
  };
}

/** Null when the password may be used, else what is wrong with it (never the password itself). */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (password.trim() === '') return 'the password is empty';
  if (length < PASSWORD_MIN_LENGTH) {
    return `the password is too short (${length} characters): use at least ${PASSWORD_MIN_LENGTH}, a few words make a good one`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `the password is longer than ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

/** The role named, or the reason it is not one. */
export function checkRole(input: string): { ok: true; role: Role } | { ok: false; message: string } {
  const role = input.trim().toLowerCase();
  if (isRole(role)) return { ok: true, role };
  return { ok: false, message: `the role must be one of ${ROLES.join(', ')}; not ${JSON.stringify(input)}` };
}

/**
 * Why removing or demoting `account` would leave the server with no live admin, or null when it would not.
 * An admin route refuses such a change (409): nobody could manage accounts through the server any more. The
 * command line (`mp user`) may still do it, since whoever reaches the store can add an admin again.
 *
 * @example
 * lastAdminProblem({ change: 'remove', role: 'admin', liveAdmins: 1, username: 'root' })
 * // 'root is the last admin: …'
 */
export function lastAdminProblem(input: {
  change: 'remove' | 'demote';
  username: string;
  /** The account's role before the change. */
  role: Role;
  /** Live admins before the change, the account included if it is one. */
  liveAdmins: number;
}): string | null {
  if (input.role !== 'admin' || input.liveAdmins > 1) return null;
  const what = input.change === 'remove' ? 'removing' : 'changing the role of';
  return `${input.username} is the last admin: ${what} it would leave nobody to manage accounts; make another account admin first`;
}
