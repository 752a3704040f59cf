import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ModelTurns } from '../agent/model-turns.ts';
import type { Workbench } from '../agent/workbench.ts';
import { HealthSchema } from '../core/api/schemas.ts';
import { AppError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { type ApiRoute, defineRoute, registerRoutes } from './api-route.ts';
import { HttpError, statusFor } from './http-errors.ts';
import { streamLiveEvents } from './live-events.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { conversationRoutes } from './routes/conversation-routes.ts';
import { messageRoutes } from './routes/message-routes.ts';
import { searchRoutes } from './routes/search-routes.ts';
import {
  checkHost,
  checkOrigin,
  setSecurityHeaders,
  tokenCookieName,
  tokenFromRequest,
  tokensEqual,
} from './security.ts';

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
  logger?: boolean;
}

/** Bodies up to 8 MB: a message may hold a long paste; command output is cut well before that. */
const BODY_LIMIT = 8 * 1024 * 1024;

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
  });
  const port = () => options.port;

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

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}` } });
    }
    return serveIndex(reply, options.webRoot);
  });

  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(reply);
    checkHost(request.headers.host, port());
    const path = request.url.split('?')[0] ?? '';
    checkOrigin(request, port(), path === '/api/events');
    if (path.startsWith('/api/')) {
      reply.header('Cache-Control', 'no-store');
      if (request.method === 'GET' && path === '/api/health') return;
      if (!tokensEqual(tokenFromRequest(request, port()), options.token)) {
        throw new HttpError(
          401,
          'unauthorized',
          'missing or wrong token: open the URL that `mp serve` printed',
        );
      }
      return;
    }
    // The printed URL carries the token once; trade it for a cookie and drop it from the address bar.
    const query = request.query as Record<string, unknown>;
    if (typeof query.token === 'string' && tokensEqual(query.token, options.token)) {
      reply.header(
        'Set-Cookie',
        `${tokenCookieName(port())}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
      );
      return reply.redirect(path === '' ? '/' : path, 303);
    }
  });

  const routes: ApiRoute[] = [
    defineRoute({
      method: 'GET',
      url: '/api/health',
      summary: 'Liveness; the only route that needs no token',
      response: HealthSchema,
      handler: () => ({ ok: true as const, version: options.version }),
    }),
    ...conversationRoutes(options.workbench),
    ...messageRoutes(options.workbench, options.turns),
    ...searchRoutes(options.workbench),
    ...(options.extraRoutes ?? []),
  ];
  const openApi = buildOpenApiDocument(routes, options.version);
  registerRoutes(app, [
    ...routes,
    defineRoute({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      handler: () => openApi,
    }),
  ]);
  app.get('/api/events', (request, reply) => streamLiveEvents(options.events, request, reply));

  if (existsSync(join(options.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.webRoot, index: false, wildcard: false, serve: true });
  }
  app.get('/', (_request, reply) => serveIndex(reply, options.webRoot));
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
