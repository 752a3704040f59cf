/**
 * The model-provider port: the one small interface every backend (OpenAI, Anthropic, Ollama, any
 * OpenAI-compatible server, in-process GGUF, a human) implements. No SDK types cross it: messages go in
 * provider-neutral (from context assembly), events come out in one vocabulary.
 */
import type { ToolCall } from './domain.ts';

/** A message as context assembly hands it to a provider (authors already folded into `name` or a prefix). */
export interface ProviderMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Author name for providers that support OpenAI's `name` field. */
  name?: string;
  /** Tool calls an assistant message made. */
  toolCalls?: ToolCall[];
  /** For role `tool`: the call it answers. */
  toolCallId?: string;
}

/** A tool offered to the model; `parameters` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface TurnInput {
  model: string;
  messages: ProviderMessage[];
  tools?: ToolDefinition[];
  temperature?: number;
  /** What the person asked for; the provider clamps it to what the context window leaves. */
  maxOutputTokens?: number;
  /** Aborting it is Stop: what arrived is kept and the turn finishes with reason `stopped`. */
  signal?: AbortSignal;
}

export const FINISH_REASONS = ['stop', 'length', 'tool-calls', 'stopped', 'error'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  /** Cached prompt tokens, reasoning tokens and the like, as the provider reported them. */
  details?: Record<string, number>;
}

/** A provider failure as data: what the person reads, whether trying again may help. */
export interface ProviderFailure {
  /** Stable code, e.g. `missing-api-key`, `authentication`, `rate-limited`, `server-error`, `connection`. */
  code: string;
  message: string;
  isRetryable: boolean;
  /** HTTP status when the server answered with one. */
  status?: number;
}

/** A tool call as it stands at the end of a turn; `complete` is false when its arguments never finished. */
export interface AssembledToolCall extends ToolCall {
  complete: boolean;
}

export interface AssembledMessage {
  content: string;
  reasoning: string;
  toolCalls: AssembledToolCall[];
}

/** What a model-call row stores: exact request (no credentials), raw response, timings. */
export interface CallRecord {
  provider: string;
  model: string;
  baseUrl: string | null;
  /** The provider-native request body exactly as sent (JSON), or the in-process equivalent. */
  request: unknown;
  /** The raw response text: stream bytes as received (decoded UTF-8), or the body. */
  response: string;
  timeToFirstTokenMs: number | null;
  durationMs: number;
}

export type TurnEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; id: string; argumentsDelta: string }
  | { type: 'tool-call-end'; index: number; toolCall: AssembledToolCall }
  | { type: 'usage'; usage: TokenUsage }
  /** A retryable failure (429, 5xx before any output); the next attempt starts after `seconds`. */
  | { type: 'retry-waiting'; seconds: number; attempt: number; failure: ProviderFailure }
  | { type: 'error'; failure: ProviderFailure }
  /** Always the last event, exactly once. */
  | {
      type: 'finish';
      reason: FinishReason;
      message: AssembledMessage;
      usage: TokenUsage | null;
      record: CallRecord;
      failure: ProviderFailure | null;
    };

export interface TokenCount {
  tokens: number;
  /** True only where the count is the model's own tokenizer applied to the exact request format. */
  exact: boolean;
  /** How it was counted, for the UI label (`o200k chat format`, `estimate (o200k)`, `model tokenizer`). */
  method: string;
}

export interface ModelCapabilities {
  model: string;
  tools: boolean;
  contextWindow: number;
  /** The model's own output cap when known. */
  maxOutputTokens: number | null;
  /** Where the numbers came from: `server`, `catalog`, `config`, or `assumed` (a default, unknown model). */
  source: 'server' | 'catalog' | 'config' | 'assumed';
}

export interface ModelInfo {
  id: string;
  contextWindow?: number;
}

export type ModelListResult = { ok: true; models: ModelInfo[] } | { ok: false; failure: ProviderFailure };

/** How context assembly should shape messages for this provider. */
export interface ProviderDialect {
  /** `name-field`: OpenAI's `name` on user/assistant messages; `prefix`: `[author] ` before the text. */
  authorNames: 'name-field' | 'prefix';
  /** Whether the provider understands tool calls and tool results (otherwise they are rendered as text). */
  toolMessages: boolean;
}

export interface OutputBudgetFits {
  fits: true;
  inputTokens: number;
  contextWindow: number;
  /** The output cap that will be sent, or null when the provider may use the rest of the window. */
  maxOutputTokens: number | null;
  available: number;
}

export interface OutputBudgetTooLarge {
  fits: false;
  inputTokens: number;
  contextWindow: number;
  available: number;
  minimumOutputTokens: number;
  message: string;
}

export type OutputBudget = OutputBudgetFits | OutputBudgetTooLarge;

/** Exactly what `streamTurn` would send for this input, and its size. */
export interface RequestPreview {
  request: unknown;
  tokens: TokenCount;
  capabilities: ModelCapabilities;
  budget: OutputBudget;
}

export interface ModelProvider {
  /** `openai`, `anthropic`, `ollama`, `openai-compatible`, `llama-cpp`, `human`, or a configured id. */
  readonly id: string;
  /** Where requests go (no credentials), null for in-process providers. */
  readonly baseUrl: string | null;
  readonly dialect: ProviderDialect;
  streamTurn(input: TurnInput): AsyncIterable<TurnEvent>;
  listModels(): Promise<ModelListResult>;
  capabilities(model: string): Promise<ModelCapabilities>;
  countTokens(input: Omit<TurnInput, 'signal'>): Promise<TokenCount>;
  preview(input: Omit<TurnInput, 'signal'>): Promise<RequestPreview>;
}
