import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<Body, Query> {
  params: Record<string, string>;
  body: Body;
  query: Query;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One API route: its schemas serve validation here and the OpenAPI document, so they cannot drift apart. */
export interface ApiRoute<Body = unknown, Query = unknown, Result = unknown> {
  method: HttpMethod;
  url: string;
  summary: string;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  response?: z.ZodType<Result>;
  /** Success status; 204 sends no body. */
  status?: number;
  /**
   * Answers without the token. Authentication reads this from the route the router matched
   * (`request.routeOptions.config.public`), never from the URL's spelling (issue 7 item 1).
   */
  public?: true;
  /** A smaller body limit than the server's, for public routes that only take a few bytes. */
  bodyLimit?: number;
  handler: (input: RouteInput<Body, Query>) => Result | Promise<Result>;
}

export function defineRoute<Body = undefined, Query = undefined, Result = unknown>(
  route: ApiRoute<Body, Query, Result>,
): ApiRoute {
  return route as unknown as ApiRoute;
}

export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: { public: route.public === true },
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      handler: async (request, reply) => {
        const body = route.body ? parseOrThrow(route.body, request.body ?? {}, 'body') : undefined;
        const query = route.query ? parseOrThrow(route.query, request.query ?? {}, 'query') : undefined;
        const result = await route.handler({
          params: request.params as Record<string, string>,
          body,
          query,
          request,
          reply,
        });
        if (reply.sent) return reply;
        const status = route.status ?? 200;
        reply.code(status);
        return status === 204 ? reply.send() : result;
      },
    });
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
