/** The model routes of the API (issue 3): generate, stop, preview, a message's call, the provider list. */
import type { z } from 'zod';
import {
  GenerationStartedSchema,
  type ModelCallDto,
  ModelCallSchema,
  PreviewSchema,
  ProviderListSchema,
} from '../../../src/core/api/model-schemas.ts';
import { conversationPath, messagePath, request } from './client.ts';

export type Preview = z.infer<typeof PreviewSchema>;
export type ProviderList = z.infer<typeof ProviderListSchema>;
export type ProviderStatus = ProviderList['providers'][number];
export type ModelCall = ModelCallDto;
export type GenerationStarted = z.infer<typeof GenerationStartedSchema>;

export const modelApi = {
  generate(conversationId: string, options: { regenerate?: string } = {}): Promise<GenerationStarted> {
    return request('POST', `${conversationPath(conversationId)}/generate`, GenerationStartedSchema, options);
  },
  stop(modelCallId: string): Promise<ModelCall> {
    return request('POST', `/api/model-calls/${encodeURIComponent(modelCallId)}/stop`, ModelCallSchema, {});
  },
  preview(conversationId: string): Promise<Preview> {
    return request('GET', `${conversationPath(conversationId)}/preview`, PreviewSchema);
  },
  callOf(messageId: string): Promise<ModelCall> {
    return request('GET', `${messagePath(messageId)}/call`, ModelCallSchema);
  },
  providers(): Promise<ProviderList> {
    return request('GET', '/api/providers', ProviderListSchema);
  },
};
