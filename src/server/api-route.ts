import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Actor, actingAccountId } from '../core/accounts.ts';
import { InvalidRequestError } from '../core/errors.ts';
import type { Permission } from '../core/permissions.ts';
import { actingAs } from '../store/acting-account.ts';
import type { AccessTarget } from '../store/conversation-access.ts';
import { actorOf, type RouteGuard } from './access.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<Body, Query> {
  params: Record<string, string>;
  body: Body;
  query: Query;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One API route: its schemas serve validation here and the OpenAPI document, so they cannot drift apart.
 * Every route declares who may call it: `public`, or the `access` its actor's role must allow; and a route
 * whose `:id` reaches into a conversation declares what the id names (`target`). registerRoutes refuses a
 * route that leaves either out, so a new route cannot forget them (issue 10 items 3 and 5).
 */
export type ApiRoute<Body = unknown, Query = unknown, Result = unknown> = RouteShape<Body, Query, Result> &
  (
    | {
        /**
         * Answers without the token. Authentication reads this from the route the router matched
         * (`request.routeOptions.config.public`), never from the URL's spelling (issue 7 item 1).
         */
        public: true;
        access?: undefined;
        /** `actor`: who is signed in, if anyone (null on a team server with nobody signed in). */
        handler: (input: RouteInput<Body, Query> & { actor: Actor | null }) => Result | Promise<Result>;
      }
    | {
        public?: undefined;
        /** What the actor's role must allow (src/core/permissions.ts); else 403 naming the role needed. */
        access: Permission;
        /** `actor`: who the request acts for (token mode: the local person, an admin). */
        handler: (input: RouteInput<Body, Query> & { actor: Actor }) => Result | Promise<Result>;
      }
  );

interface RouteShape<Body, Query, Result> {
  method: HttpMethod;
  url: string;
  summary: string;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  response?: z.ZodType<Result>;
  /** Success status; 204 sends no body. */
  status?: number;
  /**
   * What `params.id` names. The conversation it lives in must be one the actor sees, else the route
   * answers 404 exactly as for an id that does not exist (so a private conversation's existence does not
   * leak). Required on every non-public route with an `:id`; `'none'` says the id names something that
   * lives in no conversation (an account), so there is nothing to check.
   */
  target?: AccessTarget | 'none';
  /** Message ids in the body that must each be in a conversation the actor sees (a copy's sources). */
  bodyMessageIds?: (body: Body) => readonly string[];
  /** Message ids in the query, checked alike (a window's `before` and `through`). */
  queryMessageIds?: (query: Query) => readonly string[];
  /** A smaller body limit than the server's, for public routes that only take a few bytes. */
  bodyLimit?: number;
}

export function defineRoute<Body = undefined, Query = undefined, Result = unknown>(
  route: ApiRoute<Body, Query, Result>,
): ApiRoute {
  return route as unknown as ApiRoute;
}

/**
 * Registers the routes; `guard` checks that the conversations a request reaches are the actor's to see
 * (src/server/access.ts). Throws for a route that declares no access, or no target for its `:id`.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[], guard?: RouteGuard): void {
  for (const route of routes) checkDeclared(route);
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config:
        route.public === true
          ? { public: true }
          : {
              public: false,
              access: route.access,
              ...(conversationTarget(route) === undefined ? {} : { target: conversationTarget(route) }),
            },
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      handler: async (request, reply) => {
        const body = route.body ? parseOrThrow(route.body, request.body ?? {}, 'body') : undefined;
        const query = route.query ? parseOrThrow(route.query, request.query ?? {}, 'query') : undefined;
        const params = request.params as Record<string, string>;
        const input = { params, body, query, request, reply };
        if (route.public === true) {
          const actor = request.actor ?? null;
          const result = await actingAs(actor === null ? null : actingAccountId(actor), () =>
            route.handler({ ...input, actor }),
          );
          return answer(route, reply, result);
        }
        const actor = actorOf(request);
        const target = conversationTarget(route);
        await guard?.({
          actor,
          ...(target === undefined ? {} : { target: { kind: target, id: params.id ?? '' } }),
          messageIds: [...(route.bodyMessageIds?.(body) ?? []), ...(route.queryMessageIds?.(query) ?? [])],
        });
        // Everything the handler stores, and the work it starts (a model turn that outlives the request),
        // carries the actor's account (src/store/acting-account.ts).
        const result = await actingAs(actingAccountId(actor), () => route.handler({ ...input, actor }));
        return answer(route, reply, result);
      },
    });
  }
}

function answer(route: ApiRoute, reply: FastifyReply, result: unknown) {
  if (reply.sent) return reply;
  const status = route.status ?? 200;
  reply.code(status);
  return status === 204 ? reply.send() : result;
}

/** What the route's `:id` names inside a conversation; undefined when it names no such thing. */
export function conversationTarget(route: ApiRoute): AccessTarget | undefined {
  return route.target === 'none' ? undefined : route.target;
}

function checkDeclared(route: ApiRoute): void {
  const name = `${route.method} ${route.url}`;
  if (route.public !== true && route.access === undefined) {
    throw new Error(
      `route ${name} declares no access: give it \`access\` (src/core/permissions.ts) or \`public\``,
    );
  }
  if (route.public !== true && route.url.includes(':id') && route.target === undefined) {
    throw new Error(
      `route ${name} declares no target: say what its :id names, so its conversation is checked`,
    );
  }
}

/** Validates input; the first problem becomes a 400 naming its field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new InvalidRequestError(`invalid ${where}`);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field ${keys.join(', ')} in ${where}`
      : `${field === '' ? where : field}: ${issue.message}`;
  throw new InvalidRequestError(message, field === '' ? undefined : field);
}
