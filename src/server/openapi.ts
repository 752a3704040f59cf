import { z } from 'zod';
import { ErrorSchema } from '../core/api/schemas.ts';
import { roleNeeded } from '../core/permissions.ts';
import { type ApiRoute, conversationTarget } from './api-route.ts';

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [...route.url.matchAll(/:(\w+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) {
      const querySchema = toJsonSchema(route.query, 'input');
      const properties = (querySchema.properties ?? {}) as Record<string, unknown>;
      const required = new Set((querySchema.required ?? []) as string[]);
      for (const [name, schema] of Object.entries(properties)) {
        parameters.push({
          name,
          in: 'query',
          required: required.has(name),
          schema: schema as { type: string },
        });
      }
    }
    const status = String(route.status ?? 200);
    const operation: Record<string, unknown> = {
      summary: route.summary,
      parameters,
      responses: {
        [status]:
          status === '204'
            ? { description: 'done' }
            : {
                description: 'success',
                content: route.response
                  ? { 'application/json': { schema: toJsonSchema(route.response, 'output') } }
                  : { 'application/json': {} },
              },
        default: {
          description: 'error',
          content: { 'application/json': { schema: toJsonSchema(ErrorSchema, 'output') } },
        },
      },
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } },
      };
    }
    if (route.public === true) operation.security = [];
    else {
      // Who may call it (issue 10 item 3): the permission the route declares and the least role that has it.
      operation['x-access'] = { permission: route.access, role: roleNeeded(route.access) };
      const target = conversationTarget(route);
      if (target !== undefined) operation['x-reaches'] = target;
    }
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ModelProgrammer API',
      version,
      description: 'The API the web UI uses. Authenticate with the instance token (see docs/api.md).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
}
