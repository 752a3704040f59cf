import type { Workbench } from '../../agent/workbench.ts';
import { SearchQuery, SearchResultSchema } from '../../core/api/schemas.ts';
import { viewerAccountId } from '../../core/permissions.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function searchRoutes(workbench: Workbench): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/search',
      access: 'read',
      summary: 'Conversations (by title and description) and messages (by content) matching every word',
      query: SearchQuery,
      response: SearchResultSchema,
      handler: ({ query, actor }) => workbench.search(query.q, viewerAccountId(actor)),
    }),
  ];
}
