/**
 * Authorization, decided in one place from the route the router matched (issue 10 items 3 and 5), as
 * authentication is (security.ts):
 * - the role: every route declares the permission it needs (`access` in api-route.ts, kept in the route's
 *   config); `checkRole` refuses with 403 and names the role needed. A route registered some other way
 *   without a declaration needs the strictest (admin's), so a forgotten one is closed, not open;
 * - the conversation: a route whose `:id` reaches into a conversation (or whose body names messages) runs
 *   only when the actor may see that conversation; otherwise it answers 404, word for word what an unknown id
 *   gets, so a private conversation's existence does not leak (`conversationGuard`).
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/accounts.ts';
import { NotFoundError } from '../core/errors.ts';
import { canSeeConversation, type Permission, refusal, roleOf } from '../core/permissions.ts';
import type { AccessTarget, ConversationAccessRepository } from '../store/conversation-access.ts';
import { HttpError } from './http-errors.ts';
import { isPublicRoute } from './security.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the actor's role must allow to call the route (src/core/permissions.ts). */
    access?: Permission;
    /** What the route's `:id` names, whose conversation the actor must see (api-route.ts). */
    target?: AccessTarget;
  }
}

/** What a route registered without a declaration needs: only an admin has it. */
const STRICTEST: Permission = 'manage-accounts';

/**
 * Who a non-public route's request acts for, as the authentication hook decided (authenticate.ts). Nobody
 * past that hook is without one; if somebody were, nothing is allowed (a 401), never the local person.
 */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) {
    throw new HttpError(401, 'sign_in_required', 'sign in with your account first (POST /api/session)');
  }
  return request.actor;
}

/** The permission the matched route needs; null for a public one, or when no route matched (a 404 follows). */
export function accessOf(request: FastifyRequest): Permission | null {
  if (request.is404 === true || isPublicRoute(request)) return null;
  return request.routeOptions.config?.access ?? STRICTEST;
}

/** Refuses with 403 when the actor's role does not allow what the matched route needs. */
export function checkRole(request: FastifyRequest): void {
  const permission = accessOf(request);
  if (permission === null) return;
  requirePermission(actorOf(request), permission);
}

/** For what a route needs only with some bodies (a message sent on to the model needs `call-model`). */
export function requirePermission(actor: Actor, permission: Permission): void {
  const reason = refusal(actor, permission);
  if (reason !== null) throw new HttpError(403, 'forbidden_role', reason);
}

/** What one request reaches: the thing its `:id` names, and messages its body names. */
export interface GuardInput {
  actor: Actor;
  target?: { kind: AccessTarget; id: string };
  messageIds: readonly string[];
}

/** Throws NotFoundError when the request reaches a conversation the actor may not see. */
export type RouteGuard = (input: GuardInput) => Promise<void>;

/**
 * @example
 * registerRoutes(app, routes, conversationGuard(store.access));
 */
export function conversationGuard(owners: ConversationAccessRepository): RouteGuard {
  return async ({ actor, target, messageIds }) => {
    // An admin sees everything: no lookup on its requests (nor in token mode).
    if (roleOf(actor) === 'admin') return;
    if (target !== undefined) {
      const owner = await owners.of(target.kind, target.id);
      // An unknown id is left to the handler, which answers the same 404 with the same words.
      if (owner !== undefined && !canSeeConversation(actor, owner)) {
        throw new NotFoundError(target.kind === 'model-call' ? 'model call' : target.kind, target.id);
      }
    }
    if (messageIds.length > 0) {
      for (const owner of await owners.ofMessages(messageIds)) {
        if (canSeeConversation(actor, owner)) continue;
        // The first message of that conversation the body named, as an unknown one would be named.
        const hidden = await firstHidden(owners, messageIds, owner.conversationId);
        throw new NotFoundError('message', hidden);
      }
    }
  };
}

async function firstHidden(
  owners: ConversationAccessRepository,
  messageIds: readonly string[],
  conversationId: string,
): Promise<string> {
  for (const id of messageIds) {
    if ((await owners.of('message', id))?.conversationId === conversationId) return id;
  }
  return messageIds[0] ?? '';
}
