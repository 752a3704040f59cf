/**
 * The admin's account API on a team server (issue 10 item 3: "admin manages accounts"), the same accounts
 * `mp user` manages. A password is only ever sent to the server, never answered; the stored hash never
 * leaves it. Names, passwords and roles are checked by src/core/account-rules.ts, as the command line does,
 * so both refuse with the same words.
 */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../account-rules.ts';
import { ROLES } from '../accounts.ts';

const RoleSchema = z.enum(ROLES as unknown as ['admin', 'member', 'reviewer']);

/** An account as an admin sees it: `removedAt` is set on a removed one (its name stays taken). */
export const AccountListingSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});
export type AccountListingDto = z.infer<typeof AccountListingSchema>;

/** `GET /api/accounts`: every account, oldest first, the removed ones too. */
export const AccountListSchema = z.object({ accounts: z.array(AccountListingSchema) });

/** `POST /api/accounts`. The username is stored trimmed and lower-case. */
export const NewAccountBody = z.strictObject({
  username: z.string().max(200),
  password: z.string().max(PASSWORD_MAX_LENGTH * 4),
  role: RoleSchema,
});
export type NewAccountBodyDto = z.infer<typeof NewAccountBody>;

/** `PATCH /api/accounts/:id`: a new role, a new password (which ends the account's sessions), or both. */
export const AccountChangeBody = z
  .strictObject({
    role: RoleSchema.optional(),
    password: z
      .string()
      .max(PASSWORD_MAX_LENGTH * 4)
      .optional(),
  })
  .refine((body) => body.role !== undefined || body.password !== undefined, {
    message: 'send a role, a password, or both',
  });
export type AccountChangeBodyDto = z.infer<typeof AccountChangeBody>;
