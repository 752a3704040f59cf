/**
 * An admin manages a team server's accounts through the API (issue 10 item 3), as `mp user` does from the
 * command line, with the same checks (src/core/account-rules.ts), the same hash (password-hash.ts) and the
 * same repository. Two rules the command line does not apply, since there the person holds the store
 * itself: the last admin cannot be removed or demoted (nobody could manage accounts through the server any
 * more), and an admin cannot remove their own account (they would cut off the session they act with).
 */
import { checkUsername, passwordProblem } from '../../core/account-rules.ts';
import type { Actor } from '../../core/accounts.ts';
import {
  AccountChangeBody,
  type AccountChangeBodyDto,
  AccountListingSchema,
  AccountListSchema,
  NewAccountBody,
  type NewAccountBodyDto,
} from '../../core/api/account-schemas.ts';
import { ConflictError, InvalidRequestError } from '../../core/errors.ts';
import type { Store } from '../../store/store.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { hashPassword } from '../password-hash.ts';

export interface AccountRoutesOptions {
  store: Pick<Store, 'accounts' | 'transaction'>;
}

export function accountRoutes(options: AccountRoutesOptions): ApiRoute[] {
  const { store } = options;
  const hash = (password: string) => {
    const problem = passwordProblem(password);
    if (problem !== null) throw new InvalidRequestError(problem, 'password');
    return hashPassword(password);
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/accounts',
      access: 'manage-accounts',
      summary: 'Every account (removed ones too, with `removedAt`), oldest first; never a password hash',
      response: AccountListSchema,
      handler: async () => ({ accounts: await store.accounts.list() }),
    }),
    defineRoute<NewAccountBodyDto>({
      method: 'POST',
      url: '/api/accounts',
      access: 'manage-accounts',
      summary: 'Add an account `{username, password, role}`; 409 when the name is or was taken',
      body: NewAccountBody,
      response: AccountListingSchema,
      status: 201,
      handler: async ({ body }) => {
        const checked = checkUsername(body.username);
        if (!checked.ok) throw new InvalidRequestError(checked.message, 'username');
        const passwordHash = await hash(body.password);
        const account = await store.accounts.add({
          username: checked.username,
          role: body.role,
          passwordHash,
        });
        return { ...account, removedAt: null };
      },
    }),
    defineRoute<AccountChangeBodyDto>({
      method: 'PATCH',
      url: '/api/accounts/:id',
      access: 'manage-accounts',
      target: 'none',
      summary:
        'Change an account’s role and/or password (a new password ends its sessions); 409 for the last admin',
      body: AccountChangeBody,
      response: AccountListingSchema,
      handler: async ({ params, body }) => {
        const id = params.id ?? '';
        // Hashed before the transaction: nothing but store work is awaited inside one.
        const passwordHash = body.password === undefined ? undefined : await hash(body.password);
        const account = await store.transaction(async () => {
          let changed = await store.accounts.byId(id);
          if (body.role !== undefined) {
            changed = await store.accounts.changeRole(id, body.role, { keepAnAdmin: true });
          }
          if (passwordHash !== undefined)
            await store.accounts.setPasswordHash(changed.username, passwordHash);
          return changed;
        });
        return { ...account, removedAt: null };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/accounts/:id',
      access: 'manage-accounts',
      target: 'none',
      summary:
        'Remove an account (a tombstone: what it did keeps its name); its sessions end; 409 for the last admin or yourself',
      status: 204,
      handler: async ({ params, actor }) => {
        const id = params.id ?? '';
        if (isSelf(actor, id)) {
          throw new ConflictError(
            'you cannot remove your own account: another admin can, or `mp user remove` on the server',
          );
        }
        await store.transaction(async () => {
          const account = await store.accounts.byId(id);
          await store.accounts.remove(account.username, { keepAnAdmin: true });
        });
      },
    }),
  ];
}

function isSelf(actor: Actor, id: string): boolean {
  return actor.kind === 'account' && actor.account.id === id;
}
