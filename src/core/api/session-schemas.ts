/**
 * Signing a page in (issue 7 item 2): the one-time code from the URL fragment is traded for the instance token,
 * which the page then sends as `Authorization: Bearer`.
 */
import { z } from 'zod';

export const SignInCodeRequestSchema = z.strictObject({ code: z.string().min(1).max(200) });

export const SignInCodeAnswerSchema = z.object({ token: z.string() });

/** The error codes a refused code answers with (401), so the page can say what happened. */
export const SIGN_IN_CODE_ERRORS = {
  invalid: 'sign_in_code_invalid',
  expired: 'sign_in_code_expired',
  used: 'sign_in_code_used',
} as const;

/**
 * Team servers (`mp serve --team`, issue 10 item 3): a person signs in with a username and password; the
 * answer sets an HttpOnly session cookie and carries the CSRF token the page sends back as `X-CSRF-Token` on
 * every request that may change state.
 */
export const SignInRequestSchema = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
});

export const SessionAccountSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(['admin', 'member', 'reviewer']),
});

export const SignInAnswerSchema = z.object({ account: SessionAccountSchema, csrfToken: z.string() });

/**
 * `GET /api/session` on a team server: who this browser is signed in as (null: nobody), with the session's
 * CSRF token (a page reloaded in a new tab gets it here; another site's page cannot read the answer). A
 * token-mode server has no such route: without the token it answers 401, which is how a page tells the modes
 * apart.
 */
export const SessionStateSchema = z.object({
  mode: z.literal('team'),
  account: SessionAccountSchema.nullable(),
  csrfToken: z.string().nullable(),
});
