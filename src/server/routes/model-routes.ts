import type { ModelTurns } from '../../agent/model-turns.ts';
import type { ProviderChoices } from '../../agent/provider-choice.ts';
import {
  GenerateBody,
  GenerationStartedSchema,
  ModelCallSchema,
  PreviewSchema,
  ProviderListSchema,
} from '../../core/api/model-schemas.ts';
import { NotFoundError } from '../../core/errors.ts';
import { modelCallDto } from '../../core/model-call-dto.ts';
import type { Store } from '../../store/store.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';

export function modelRoutes(options: {
  store: Store;
  turns: ModelTurns;
  choices: ProviderChoices;
}): ApiRoute[] {
  const { store, turns, choices } = options;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/generate',
      access: 'call-model',
      target: 'conversation',
      summary: 'Call the model on the conversation as it stands ({regenerate} adds a sibling answer)',
      body: GenerateBody,
      response: GenerationStartedSchema,
      status: 202,
      handler: ({ params, body }) =>
        turns.start(params.id!, body.regenerate === undefined ? {} : { regenerate: body.regenerate }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/model-calls/:id/stop',
      access: 'call-model',
      target: 'model-call',
      summary: 'Stop a running call; what arrived is kept and marked stopped',
      response: ModelCallSchema,
      handler: async ({ params }) => {
        await turns.stop(params.id!);
        return modelCallDto(await store.modelCalls.get(params.id!));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/preview',
      access: 'read',
      target: 'conversation',
      summary: 'The provider-native request that would be sent now, its token count and the output budget',
      response: PreviewSchema,
      handler: async ({ params }) => {
        const preview = await turns.preview(params.id!);
        return {
          provider: preview.provider,
          model: preview.model,
          request: preview.request,
          tokens: preview.tokens,
          capabilities: preview.capabilities,
          budget: preview.budget,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/messages/:id/call',
      access: 'read',
      target: 'message',
      summary: 'The model call that produced a message: exact request, raw response, usage, timings',
      response: ModelCallSchema,
      handler: async ({ params }) => {
        await store.messages.get(params.id!);
        const call = await store.modelCalls.forMessage(params.id!);
        if (call === undefined) throw new NotFoundError('model call for message', params.id!);
        return modelCallDto(call);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/providers',
      access: 'read',
      summary: 'Configured providers, whether each answers, their models, and the default choice',
      response: ProviderListSchema,
      handler: async () => {
        const [providers, selection] = await Promise.all([
          choices.statuses(),
          choices.defaultSelection(true),
        ]);
        return {
          providers,
          defaults: { provider: selection.provider, model: selection.model },
          banner: selection.banner,
        };
      },
    }),
  ];
}
