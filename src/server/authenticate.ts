/**
 * Who a request is (issue 7 item 1, issue 10 item 3), decided once per request in the onRequest hook, on the
 * route the router matched:
 * - token mode (the default, loopback only): every non-public route needs `Authorization: Bearer` with the
 *   instance token, and the actor is the one local person (`{kind: 'local'}`, an admin);
 * - team mode (`--team`): the session cookie names the account (team-sessions.ts). A non-public route needs
 *   a live session; the instance token signs no one in (a Bearer header is refused, saying to sign in); and
 *   any request that may change state with a live session needs its CSRF token, public routes included.
 *
 * The result is on the request for the rest of the server: `request.actor` (null only on a public route of a
 * team server with nobody signed in) and `request.signedIn` (the session, team mode only).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, LOCAL_ACTOR } from '../core/accounts.ts';
import { HttpError } from './http-errors.ts';
import { isPublicRoute, SAFE_METHODS, tokenFromRequest, tokensEqual } from './security.ts';
import { CSRF_HEADER, type SignedIn, type TeamSessions } from './team-sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who the request acts for. Token mode: always the local person. Team mode: the signed-in account; null
     * only on a public route with nobody signed in (a non-public route without a session was refused).
     */
    actor: Actor | null;
    /** Team mode: the session the cookie names, when it is live. */
    signedIn: SignedIn | null;
  }
}

export function decorateIdentity(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('signedIn', null);
}

/** Sets `request.actor` (and `request.signedIn`), or throws the 401/403 the request gets. */
export async function authenticate(
  request: FastifyRequest,
  options: {
    token: string;
    team?: TeamSessions | undefined;
    /** The live-event stream's reply: a stream outlives this check, so it is watched. */
    eventStream?: FastifyReply | undefined;
  },
): Promise<void> {
  const isPublic = isPublicRoute(request);
  const team = options.team;
  if (team === undefined) {
    request.actor = LOCAL_ACTOR;
    if (isPublic) return;
    if (!tokensEqual(tokenFromRequest(request), options.token)) {
      throw new HttpError(
        401,
        'unauthorized',
        'missing or wrong token: open the link `mp serve` printed (or `mp url` prints), or send ' +
          '`Authorization: Bearer` with the token from DATA_DIR/token',
      );
    }
    return;
  }
  // Looked up only when the request carries a session cookie: without one this costs no query.
  const signedIn = await team.authenticate(request.headers.cookie);
  if (signedIn !== undefined) {
    request.signedIn = signedIn;
    request.actor = { kind: 'account', account: signedIn.account };
    if (!SAFE_METHODS.has(request.method)) team.checkCsrf(signedIn, request.headers[CSRF_HEADER]);
    // A stream outlives the check above: it is cut when the session ends, and the page then signs in again.
    const stream = options.eventStream;
    if (stream !== undefined) {
      const stop = team.watch(signedIn, () => stream.raw.destroy());
      stream.raw.once('close', stop);
    }
  }
  if (isPublic || signedIn !== undefined) return;
  if (request.headers.authorization !== undefined) {
    throw new HttpError(
      401,
      'sign_in_required',
      'this is a team server: the instance token signs no one in; sign in with your account ' +
        '(POST /api/session {username, password}) and send the session cookie',
    );
  }
  throw new HttpError(
    401,
    'sign_in_required',
    request.headers.cookie !== undefined && team.secretFrom(request.headers.cookie) !== undefined
      ? 'your session has ended (signed out, expired or the account changed); sign in again'
      : 'sign in with your account first (POST /api/session {username, password})',
  );
}
