import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ModelTurns } from '../agent/model-turns.ts';
import type { Workbench } from '../agent/workbench.ts';
import { HealthSchema } from '../core/api/schemas.ts';
import { AppError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import type { Permission } from '../core/permissions.ts';
import type { AccessTarget } from '../store/conversation-access.ts';
import { checkRole, conversationGuard } from './access.ts';
import { type ApiRoute, defineRoute, registerRoutes } from './api-route.ts';
import { authenticate, decorateIdentity } from './authenticate.ts';
import { statusFor } from './http-errors.ts';
import { ConversationVisibility } from './live-event-filter.ts';
import { type LiveEventLimits, LiveEventStreams } from './live-events.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { conversationRoutes } from './routes/conversation-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import {
  checkHost,
  checkOrigin,
  isPublicRoute,
  LOOPBACK_SITE,
  type ServedSite,
  setSecurityHeaders,
} from './security.ts';
import type { TeamSessions } from './team-sessions.ts';

export interface ServerOptions {
  workbench: Workbench;
  events: EventBus;
  token: string;
  /** The port the server will listen on; Host and Origin checks compare against it. */
  port: number;
  /** The built web UI (`dist/web`); when missing, `/` explains how to build it. */
  webRoot: string;
  version: string;
  /** Calls models when a message is sent (absent: messages are only added). */
  turns?: ModelTurns;
  /** Routes added by later layers (providers, sandbox), registered like the core ones. */
  extraRoutes?: readonly ApiRoute[];
  /** Caps on live-event streams (tests lower them). */
  liveEvents?: LiveEventLimits;
  /** The clock sign-in codes are checked against (tests move it). */
  now?: () => number;
  logger?: boolean;
  /** Team mode (`mp serve --team`): accounts sign in with sessions; the token signs no one in. */
  team?: TeamSessions;
  /** The names and origins this server answers as besides loopback (a team server's --host, --public-url). */
  site?: ServedSite;
  /** PEM certificate and key: the server speaks HTTPS itself (`--tls-cert`, `--tls-key`). */
  tls?: { cert: Buffer; key: Buffer };
  /** The proxy whose X-Forwarded-For names the client (`--trust-proxy`); none is trusted otherwise. */
  trustProxy?: string;
}

/** One registered route, as the router knows it: what the auth hook decides on. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  /** The permission it needs (src/core/permissions.ts); undefined on public routes and the page's. */
  access: Permission | undefined;
  /** What its `:id` names, if it reaches into a conversation by one. */
  target: AccessTarget | undefined;
}

const registeredRoutes = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the server registered (API, live events, page shell, static assets), e.g. to test them all. */
export function routesOf(app: FastifyInstance): readonly RegisteredRoute[] {
  return registeredRoutes.get(app) ?? [];
}

/** The live-event streams of a server made by createServer (their count and what they hold). */
export function liveEventsOf(app: FastifyInstance): LiveEventStreams | undefined {
  return liveEventStreams.get(app);
}

const liveEventStreams = new WeakMap<FastifyInstance, LiveEventStreams>();

/** Bodies up to 8 MB: a message may hold a long paste; command output is cut well before that. */
const BODY_LIMIT = 8 * 1024 * 1024;

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const base = {
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  };
  // One instance type for the rest of the file: routes and hooks do not depend on the transport.
  const app = (
    options.tls === undefined ? Fastify(base) : Fastify({ ...base, https: options.tls })
  ) as FastifyInstance;
  const port = () => options.port;
  const site = options.site ?? LOOPBACK_SITE;
  decorateIdentity(app);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      const status = statusFor(error);
      if (status >= 500) request.log.error(error);
      return reply
        .code(status)
        .send({ error: { code: error.code, message: error.message, field: error.field } });
    }
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    const status = fastifyError.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own refusals: unparseable JSON, body too large, wrong content type.
      return reply
        .code(status)
        .send({ error: { code: 'invalid_request', message: fastifyError.message ?? 'bad request' } });
    }
    console.error(error);
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'internal error; see the server log' } });
  });

  const routeList: RegisteredRoute[] = [];
  registeredRoutes.set(app, routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // Read later: a scope's own onRoute hook (the page shell's) runs after this one and sets `public`.
      routeList.push({
        method,
        url: route.url,
        get public() {
          return route.config?.public === true;
        },
        get access() {
          return route.config?.access;
        },
        get target() {
          return route.config?.target;
        },
      });
    }
  });

  // No page is served for unknown paths (the UI routes in the URL's hash): an unmatched request is a 404,
  // and without the token a 401 like any other (see isPublicRoute).
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}` } }),
  );

  // In Fastify 5 onRequest runs after routing, so the decision below reads the route the router matched.
  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(reply);
    checkHost(request.headers.host, port(), site);
    const isEventStream = !request.is404 && request.routeOptions.url === '/api/events';
    checkOrigin(request, port(), isEventStream, site);
    if (!isPublicRoute(request)) reply.header('Cache-Control', 'no-store');
    // Sets request.actor: token mode's local person, or a team server's signed-in account (authenticate.ts).
    await authenticate(request, {
      token: options.token,
      team: options.team,
      eventStream: isEventStream ? reply : undefined,
    });
  });

  // Authorization, after authentication decided who acts: the matched route's declared permission against
  // the actor's role (src/server/access.ts). Which conversations the actor may reach is checked per route.
  app.addHook('onRequest', async (request) => checkRole(request));

  const routes: ApiRoute[] = [
    defineRoute({
      method: 'GET',
      url: '/api/health',
      summary: 'Liveness; needs no token',
      public: true,
      response: HealthSchema,
      handler: () => ({ ok: true as const, version: options.version }),
    }),
    ...conversationRoutes(options.workbench),
    ...messageRoutes(options.workbench, options.turns),
    ...searchRoutes(options.workbench),
    ...sessionRoutes({
      token: options.token,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.team === undefined ? {} : { team: options.team }),
    }),
    ...(options.extraRoutes ?? []),
  ];
  const openApi = buildOpenApiDocument(routes, options.version);
  registerRoutes(
    app,
    [
      ...routes,
      defineRoute({
        method: 'GET',
        url: '/api/openapi.json',
        access: 'read',
        summary: 'This API as an OpenAPI 3.1 document',
        handler: () => openApi,
      }),
    ],
    conversationGuard(options.workbench.access),
  );
  const liveEvents = new LiveEventStreams(
    options.events,
    options.liveEvents,
    new ConversationVisibility(options.workbench.access, options.events),
  );
  liveEventStreams.set(app, liveEvents);
  // No HEAD twin: a HEAD answer has no body, so the stream would hold its slot without ever sending a byte.
  app.get('/api/events', { exposeHeadRoute: false, config: { access: 'read' } }, (request, reply) =>
    liveEvents.stream(request, reply),
  );

  // The page shell and its assets are public: the page must load before it can sign in. Every route registered
  // in this scope (fastify-static adds one per built file) is marked so; nothing else is.
  await app.register(async (shell) => {
    shell.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    if (existsSync(join(options.webRoot, 'index.html'))) {
      await shell.register(fastifyStatic, {
        root: options.webRoot,
        index: false,
        wildcard: false,
        serve: true,
      });
    }
    shell.get('/', (_request, reply) => serveIndex(reply, options.webRoot));
  });
  return app;
}

function serveIndex(reply: import('fastify').FastifyReply, webRoot: string) {
  if (existsSync(join(webRoot, 'index.html'))) {
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', webRoot);
  }
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .send('The web UI is not built. Run `npm run build` (npm start does it for you), then reload.');
}
