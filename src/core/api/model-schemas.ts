/**
 * API shapes for calling models (issue 3): provider settings on a conversation, generation, stop, preview,
 * the recorded model call, and the provider list.
 */
import { z } from 'zod';

const id = z.string().min(1).max(100);

export const PROVIDER_IDS_HINT =
  'openai, anthropic, ollama, openai-compatible, llama-cpp, human, or a configured id';

export const ModelSettingsPatch = {
  provider: z.string().trim().min(1).max(100).optional(),
  model: z.string().trim().min(1).max(1000).optional(),
  baseUrl: z.url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().max(10_000_000).optional(),
};

export const GenerateBody = z.strictObject({
  /** Add a sibling of this assistant message instead of answering after the current leaf. */
  regenerate: id.optional(),
});

export const GenerationStartedSchema = z.object({ modelCallId: id, messageId: id });

export const TokenCountSchema = z.object({
  tokens: z.number().int(),
  exact: z.boolean(),
  method: z.string(),
});

export const CapabilitiesSchema = z.object({
  model: z.string(),
  tools: z.boolean(),
  contextWindow: z.number().int(),
  maxOutputTokens: z.number().int().nullable(),
  source: z.string(),
});

export const PreviewSchema = z.object({
  provider: z.string(),
  model: z.string(),
  request: z.unknown(),
  tokens: TokenCountSchema,
  capabilities: CapabilitiesSchema,
  budget: z.object({
    fits: z.boolean(),
    inputTokens: z.number().int(),
    contextWindow: z.number().int(),
    available: z.number().int(),
    maxOutputTokens: z.number().int().nullable().optional(),
    message: z.string().optional(),
  }),
});

export const UsageSchema = z.object({
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  details: z.record(z.string(), z.number()).optional(),
});

export const ModelCallSchema = z.object({
  id,
  conversationId: id,
  messageId: id.nullable(),
  provider: z.string(),
  model: z.string(),
  baseUrl: z.string().nullable(),
  request: z.unknown(),
  response: z.string().nullable(),
  assembled: z.unknown(),
  usage: UsageSchema.nullable(),
  finishReason: z.string().nullable(),
  status: z.string(),
  timeToFirstTokenMs: z.number().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  /** The account that asked for the call (team server); null in single-token mode. */
  accountId: id.nullable(),
});
export type ModelCallDto = z.infer<typeof ModelCallSchema>;

export const ProviderListSchema = z.object({
  providers: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      label: z.string(),
      baseUrl: z.string().nullable(),
      available: z.boolean(),
      models: z.array(z.object({ id: z.string(), contextWindow: z.number().optional() })),
      error: z.string().optional(),
    }),
  ),
  defaults: z.object({ provider: z.string(), model: z.string().nullable() }),
  /** Set when no model is connected: says how to connect one. */
  banner: z.string().nullable(),
});
