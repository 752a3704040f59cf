import type { Account } from '../../core/accounts.ts';
import {
  SessionStateSchema,
  SIGN_IN_CODE_ERRORS,
  SignInAnswerSchema,
  SignInCodeAnswerSchema,
  SignInCodeRequestSchema,
  SignInRequestSchema,
} from '../../core/api/session-schemas.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { AttemptLimit } from '../attempt-limit.ts';
import { HttpError } from '../http-errors.ts';
import { SignInCodes } from '../sign-in-code.ts';
import { SignInThrottledError, type TeamSessions } from '../team-sessions.ts';

/** Failed code exchanges allowed per minute before the route refuses every attempt for the rest of it. */
const FAILURES_PER_MINUTE = 20;

const FRESH_LINK = 'run `mp url` for a fresh sign-in link, or paste the token from DATA_DIR/token';

const MESSAGES = {
  invalid: `this sign-in link is not valid for this server; ${FRESH_LINK}`,
  expired: `this sign-in link has expired (a link works for 60 seconds); ${FRESH_LINK}`,
  used: `this sign-in link was used already (a link works once); ${FRESH_LINK}`,
} as const;

/**
 * How a page signs in. Token mode: `POST /api/session/code` trades the single-use code of the printed link
 * for the token (issue 7 item 2). Team mode (issue 10 item 3): `POST /api/session` with a username and
 * password sets the session cookie, `DELETE /api/session` ends it; the code exchange does not exist there,
 * since the token signs no one in; `GET /api/session` says who is signed in (token mode has no such route, so
 * a page that gets 401 there knows it needs the token). All are public (the page has no credential yet); the
 * auth hook already resolved the session, if any.
 */
export function sessionRoutes(options: {
  token: string;
  now?: () => number;
  team?: TeamSessions;
}): ApiRoute[] {
  const team = options.team;
  return team === undefined ? tokenRoutes(options) : teamRoutes(team);
}

function tokenRoutes(options: { token: string; now?: () => number }): ApiRoute[] {
  const codes = new SignInCodes(options);
  const failures = new AttemptLimit({ limit: FAILURES_PER_MINUTE, windowMs: 60_000, ...options });
  return [
    defineRoute({
      method: 'POST',
      url: '/api/session/code',
      summary:
        'Trade a single-use sign-in code (the `#code=` of the printed link) for the token; no token needed',
      public: true,
      bodyLimit: 1024,
      body: SignInCodeRequestSchema,
      response: SignInCodeAnswerSchema,
      handler: ({ body, reply }) => {
        const waitMs = failures.waitMs();
        if (waitMs > 0) {
          reply.header('Retry-After', String(Math.ceil(waitMs / 1000)));
          throw new HttpError(
            429,
            'too_many_attempts',
            `too many wrong sign-in codes; try again in ${Math.ceil(waitMs / 1000)} s`,
          );
        }
        const check = codes.redeem(body.code);
        if (!check.ok) {
          failures.recordFailure();
          throw new HttpError(401, SIGN_IN_CODE_ERRORS[check.reason], MESSAGES[check.reason]);
        }
        return { token: options.token };
      },
    }),
  ];
}

function teamRoutes(team: TeamSessions): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/session',
      summary:
        'Sign in with a username and password: sets the session cookie and answers the CSRF token (team mode)',
      public: true,
      bodyLimit: 4096,
      body: SignInRequestSchema,
      response: SignInAnswerSchema,
      handler: async ({ body, request, reply }) => {
        try {
          const signedIn = await team.signIn({ ...body, address: request.ip });
          // Signing in again from a signed-in browser replaces its session rather than leaving it open.
          await team.signOut(request.signedIn ?? undefined);
          reply.header('Set-Cookie', signedIn.setCookie);
          return { account: accountSummary(signedIn.account), csrfToken: signedIn.csrfToken };
        } catch (error) {
          if (error instanceof SignInThrottledError) {
            reply.header('Retry-After', String(error.retryAfterSeconds));
          }
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/session',
      summary: 'Who this browser is signed in as (null: nobody), with the session’s CSRF token',
      public: true,
      response: SessionStateSchema,
      handler: ({ request }) => ({
        mode: 'team' as const,
        account: request.signedIn === null ? null : accountSummary(request.signedIn.account),
        csrfToken: request.signedIn?.session.csrfToken ?? null,
      }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/session',
      summary: 'Sign out: ends the session (its row is deleted) and clears the cookie',
      public: true,
      status: 204,
      handler: async ({ request, reply }) => {
        // The hook already required the CSRF token when the session is live; a dead one needs nothing.
        await team.signOut(request.signedIn ?? undefined);
        reply.header('Set-Cookie', team.clearCookie());
      },
    }),
  ];
}

function accountSummary(account: Account): { id: string; username: string; role: Account['role'] } {
  return { id: account.id, username: account.username, role: account.role };
}
