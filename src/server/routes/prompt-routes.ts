/**
 * The prompt library (issue 8 item 7): reviewers may read it, members and admins write. A prompt belongs to
 * no conversation (`target: 'none'`); deleting one leaves a tombstone.
 */
import {
  NewPromptBody,
  type NewPromptBodyDto,
  PromptListSchema,
  PromptPatchBody,
  type PromptPatchBodyDto,
  PromptSchema,
} from '../../core/api/prompt-schemas.ts';
import {
  DEFAULT_SYSTEM_PROMPT,
  DEFAULT_SYSTEM_PROMPT_NAME,
} from '../../core/context/default-system-prompt.ts';
import type { Store } from '../../store/store.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function promptRoutes(options: { store: Pick<Store, 'prompts'> }): ApiRoute[] {
  const { store } = options;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/prompts',
      access: 'read',
      summary:
        'The prompt library by name, and the built-in default system prompt new conversations start with',
      response: PromptListSchema,
      handler: async () => ({
        prompts: await store.prompts.list(),
        defaultPrompt: { name: DEFAULT_SYSTEM_PROMPT_NAME, content: DEFAULT_SYSTEM_PROMPT },
      }),
    }),
    defineRoute<NewPromptBodyDto>({
      method: 'POST',
      url: '/api/prompts',
      access: 'write',
      summary: 'Add a prompt `{name, content}` to the library',
      body: NewPromptBody,
      response: PromptSchema,
      status: 201,
      handler: ({ body }) => store.prompts.create(body),
    }),
    defineRoute<PromptPatchBodyDto>({
      method: 'PATCH',
      url: '/api/prompts/:id',
      access: 'write',
      target: 'none',
      summary: 'Rename a prompt or change its text (conversations keep the text they took from it)',
      body: PromptPatchBody,
      response: PromptSchema,
      handler: ({ params, body }) => store.prompts.update(params.id!, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/prompts/:id',
      access: 'write',
      target: 'none',
      summary: 'Remove a prompt from the library (a tombstone: the row stays)',
      status: 204,
      handler: ({ params }) => store.prompts.delete(params.id!),
    }),
  ];
}
